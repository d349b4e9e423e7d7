import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRefusedCharacter, findRefusedCharacter } from '../../wwwroot/js/text-rules.js';
import { OtError, TextOperation } from '../../wwwroot/js/ot.js';

// The same cases and words as tests/BriefingRoom.Tests/Drafting/TextRulesTests.cs.
const refused = [
  ['Summit \u0000 text', 0x0000, 7, 'U+0000 (a control character) at position 7: a text may hold no control character but tab and line feed'],
  ['line\u000Bbreak', 0x000b, 4, 'U+000B (a control character) at position 4: a text may hold no control character but tab and line feed'],
  ['Windows\r\n', 0x000d, 7, 'U+000D (carriage return) at position 7: a line ends with U+000A (line feed) alone'],
  ['\u007F', 0x007f, 0, 'U+007F (a control character) at position 0: a text may hold no control character but tab and line feed'],
  ['next\u0085line', 0x0085, 4, 'U+0085 (a control character) at position 4: a text may hold no control character but tab and line feed'],
  ['ab\uFDD0', 0xfdd0, 2, 'U+FDD0 (a noncharacter) at position 2: Unicode keeps noncharacters out of texts'],
  ['🇪🇺\uFFFF', 0xffff, 4, 'U+FFFF (a noncharacter) at position 4: Unicode keeps noncharacters out of texts'],
  ['x\u{1FFFF}', 0x1ffff, 1, 'U+1FFFF (a noncharacter) at position 1: Unicode keeps noncharacters out of texts'],
  ['x\u{10FFFE}', 0x10fffe, 1, 'U+10FFFE (a noncharacter) at position 1: Unicode keeps noncharacters out of texts'],
  ['x\uD83D', 0xd83d, 1, 'U+D83D (half of a surrogate pair, without its other half) at position 1: a text must be well-formed UTF-16'],
  ['\uDC00x', 0xdc00, 0, 'U+DC00 (half of a surrogate pair, without its other half) at position 0: a text must be well-formed UTF-16'],
];

describe('text rules', () => {
  test('every character real texts use is allowed', () => {
    const sample = '\t\nConclusions – Ελλάδα, Україна, Vie\u0302\u0323t, \u200Fשלום\u200E, فارسی: می\u200Cخواهم, हिन्दी, 日本語 𠀋, '
      + '🇪🇺 👩🏽‍⚖️ 👨‍👩‍👧‍👦 🏴󠁧󠁢󠁥󠁮󠁧󠁿, 𝐀 𝄞, a\u00A0b, soft\u00ADhyphen, \u200B\u2066x\u2069\u2028\uFEFF\uE000\uFDCF\uFDF0\uFFFD\u{10FFFD}';
    assert.equal(findRefusedCharacter(sample), null);
  });

  for (const [text, codePoint, index, words] of refused) {
    test(`refuses ${words.slice(0, 6)} and says where`, () => {
      const found = findRefusedCharacter(text);
      assert.equal(found?.codePoint, codePoint);
      assert.equal(found?.index, index);
      assert.equal(describeRefusedCharacter(found), words);
    });
  }

  test('an operation inserting a refused character is malformed, with its position in the text', () => {
    assert.throws(() => TextOperation.fromJSON([10, '\u0000', 5]), (e) => e instanceof OtError && e.code === 'Malformed'
      && e.message === 'Component 2 of the operation: the inserted text holds U+0000 (a control character) at position 10: a text may hold no control character but tab and line feed.');
  });
});
