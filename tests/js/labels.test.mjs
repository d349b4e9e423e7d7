import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roman } from '../../wwwroot/js/labels.js';

test('items are numbered in roman numerals, as the server names them in its messages (Agenda/ItemNumeral)', () => {
  assert.deepEqual([1, 4, 9, 14, 40, 44, 99, 1999, 3999].map(roman), ['I', 'IV', 'IX', 'XIV', 'XL', 'XLIV', 'XCIX', 'MCMXCIX', 'MMMCMXCIX']);
  assert.deepEqual([0, -1, 4000, 1.5, undefined].map(roman), ['0', '-1', '4000', '1.5', 'undefined']);
});
