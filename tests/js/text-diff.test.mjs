import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSpan, operationFromEdit } from '../../wwwroot/js/text-diff.js';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { createRandom, randomText } from './random-edits.mjs';

describe('operations between two values of a text', () => {
  test('typing, deleting and replacing become one retain-edit-retain operation', () => {
    assert.deepEqual(operationFromEdit('Brussels', 'Brussels!').toJSON(), [8, '!']);
    assert.deepEqual(operationFromEdit('Brussels', 'russels').toJSON(), [-1, 7]);
    assert.deepEqual(operationFromEdit('the Council', 'the European Council').toJSON(), [4, 'European ', 7]);
    assert.deepEqual(operationFromEdit('agreed text', 'adopted text').toJSON(), [1, 'dopt', -3, 7]);
  });

  test('no change gives no operation', () => {
    assert.equal(operationFromEdit('same', 'same'), null);
  });

  test('the caret says where a repeated letter was typed', () => {
    // "aa" -> "aaa" with the caret at 2: the user typed at index 1.
    assert.deepEqual(diffSpan('aa', 'aaa', 2), { start: 1, deleted: 0, inserted: 'a' });
    assert.deepEqual(operationFromEdit('aa', 'aaa', 2).toJSON(), [1, 'a', 1]);
    // Without the caret the edit is placed as late as possible... at the end.
    assert.deepEqual(operationFromEdit('aa', 'aaa').toJSON(), [2, 'a']);
    // Backspace after the first of three: the caret at 1.
    assert.deepEqual(diffSpan('aaa', 'aa', 1), { start: 1, deleted: 1, inserted: '' });
  });

  test('a boundary never cuts an emoji (a surrogate pair) in two', () => {
    // 🇪🇺 is two pairs; replacing the second flag letter shares a high surrogate with the old text.
    const before = 'EU 🇪🇺';
    const after = 'EU 🇪🇸';
    const span = diffSpan(before, after);
    const high = (code) => code >= 0xd800 && code <= 0xdbff;
    assert.equal(high(before.charCodeAt(span.start - 1)), false, 'the span starts after a whole pair');
    assert.equal(span.start, 5);
    const op = operationFromEdit(before, after);
    assert.equal(op.apply(before), after);
    // The builder refuses inserts with unpaired surrogates on the wire: round-trip through JSON.
    assert.equal(TextOperation.fromJSON(op.toJSON()).apply(before), after);
    const thumbs = operationFromEdit('👍', '👍🏽');
    assert.equal(TextOperation.fromJSON(thumbs.toJSON()).apply('👍'), '👍🏽');
  });

  test('any edit, with or without a caret, turns the old text into the new one', () => {
    const random = createRandom(20250306);
    for (let i = 0; i < 2000; i++) {
      const before = randomText(random, 6);
      const chars = Array.from(before);
      const at = random.int(chars.length + 1);
      const cut = random.int(chars.length - at + 1);
      const inserted = random.next() < 0.7 ? randomText(random, 2) : '';
      const after = chars.slice(0, at).join('') + inserted + chars.slice(at + cut).join('');
      const caret = chars.slice(0, at).join('').length + inserted.length;
      for (const hint of [caret, undefined]) {
        const op = operationFromEdit(before, after, hint);
        if (before === after) {
          assert.equal(op, null);
          continue;
        }
        const wire = TextOperation.fromJSON(op.toJSON());
        assert.equal(wire.apply(before), after, `${JSON.stringify(before)} -> ${JSON.stringify(after)} (caret ${hint})`);
      }
    }
  });
});
