import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  countParagraphs, describeLine, numberingOffsets, paragraphNumbersByLine, paragraphsOf,
} from '../../wwwroot/js/paragraphs.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/paragraph-vectors.json', import.meta.url), 'utf8'));

describe('shared vectors: a draft splits into the paragraphs the PDF prints', () => {
  for (const c of vectors.paragraphs) {
    test(c.name, () => {
      const found = paragraphsOf(c.text);
      assert.deepEqual(found.map((p) => p.text), c.paragraphs);
      assert.deepEqual(found.map((p) => p.line), c.lines);
      assert.deepEqual(found.map((p) => p.number), c.paragraphs.map((_, i) => i + 1));
      assert.equal(countParagraphs(c.text), c.paragraphs.length);
      const byLine = paragraphNumbersByLine(c.text.split('\n'));
      assert.deepEqual([...byLine].flatMap((n, line) => (n > 0 ? [line] : [])), c.lines);
    });
  }
});

describe('shared vectors: each item is numbered as the PDF numbers it', () => {
  for (const c of vectors.numbering) {
    test(c.name, () => {
      const offsets = numberingOffsets(c.items);
      for (const item of c.items) {
        const { offset, printed } = offsets.get(item.id);
        const numbers = paragraphsOf(item.text).map((p) => p.number + offset);
        assert.deepEqual(numbers, c.numbers[String(item.id)], `item ${item.id}`);
        assert.equal(printed, item.status === 'agreed' || item.status === 'coalition');
      }
    });
  }
});

describe('where a line is, in words', () => {
  const byLine = paragraphNumbersByLine(['', 'One.', '', '', 'Two.', '']);
  test('on a paragraph, between two, before the first, after the last', () => {
    assert.equal(describeLine(byLine, 1, 6), 'paragraph 7');
    assert.equal(describeLine(byLine, 2), 'between paragraphs 1 and 2');
    assert.equal(describeLine(byLine, 0), 'before paragraph 1');
    assert.equal(describeLine(byLine, 5, 2), 'after paragraph 4');
  });
  test('an empty text has no paragraphs to name', () => {
    assert.equal(describeLine(paragraphNumbersByLine(['']), 0), 'in an empty text');
  });
});
