import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shortestEditScript, summarize, tokenize, wordDiff } from '../../wwwroot/js/word-diff.js';
import { createRandom } from './random-edits.mjs';

const side = (parts, type) => parts.filter((p) => p.type === 'equal' || p.type === type).map((p) => p.text).join('');

describe('wordDiff', () => {
  test('marks a word inserted and a word deleted, whole words', () => {
    const parts = wordDiff('The Council welcomes the plan.', 'The European Council welcomes the new plan.');
    assert.deepEqual(parts, [
      { type: 'equal', text: 'The ' },
      { type: 'insert', text: 'European ' },
      { type: 'equal', text: 'Council welcomes the ' },
      { type: 'insert', text: 'new ' },
      { type: 'equal', text: 'plan.' },
    ]);
    assert.deepEqual(summarize(parts), { inserted: 2, deleted: 0 });
  });

  test('a changed word is a deletion then an insertion, never half a word', () => {
    const parts = wordDiff('agreed text', 'adopted text');
    assert.deepEqual(parts, [
      { type: 'delete', text: 'agreed' },
      { type: 'insert', text: 'adopted' },
      { type: 'equal', text: ' text' },
    ]);
  });

  test('words replaced side by side read as one replacement', () => {
    const parts = wordDiff('We note the proposal today.', 'We reject this plan today.');
    assert.deepEqual(parts, [
      { type: 'equal', text: 'We ' },
      { type: 'delete', text: 'note the proposal' },
      { type: 'insert', text: 'reject this plan' },
      { type: 'equal', text: ' today.' },
    ]);
    assert.deepEqual(summarize(parts), { inserted: 3, deleted: 3 });
  });

  test('apostrophes and hyphens inside a word keep it whole; letters of every script are words', () => {
    assert.deepEqual(tokenize('Russia’s co-operation: Ελλάδα 3.5%'),
      ['Russia’s', ' ', 'co-operation', ':', ' ', 'Ελλάδα', ' ', '3', '.', '5', '%']);
  });

  test('equal texts are one equal part, and empty texts nothing', () => {
    assert.deepEqual(wordDiff('Same.', 'Same.'), [{ type: 'equal', text: 'Same.' }]);
    assert.deepEqual(wordDiff('', ''), []);
    assert.deepEqual(wordDiff('', 'New.'), [{ type: 'insert', text: 'New.' }]);
  });

  test('a comparison past the distance limit still shows both texts, as one replacement of the middle', () => {
    const parts = wordDiff('keep a b c d keep', 'keep w x y z keep', { maxEditDistance: 2 });
    assert.equal(side(parts, 'delete'), 'keep a b c d keep');
    assert.equal(side(parts, 'insert'), 'keep w x y z keep');
    assert.equal(parts.filter((p) => p.type === 'delete').length, 1);
  });

  test('random texts: the parts rebuild both versions, and the edit script is a shortest one', () => {
    const random = createRandom(1306);
    const words = ['the', 'Council', 'Union', 'agrees', ',', '.', 'defence', 'Ukraine', '€', '150'];
    const text = (n) => Array.from({ length: n }, () => words[random.int(words.length)]).join(' ');
    for (let round = 0; round < 300; round++) {
      const before = text(random.int(25));
      const after = text(random.int(25));
      const parts = wordDiff(before, after);
      assert.equal(side(parts, 'delete'), before);
      assert.equal(side(parts, 'insert'), after);
      const a = tokenize(before);
      const b = tokenize(after);
      const script = shortestEditScript(a, b);
      assert.equal(script.filter(([type]) => type === 'equal').length, lcs(a, b), 'keeps every token the texts share');
      assert.deepEqual(script.filter(([type]) => type !== 'insert').map(([, t]) => t), a);
      assert.deepEqual(script.filter(([type]) => type !== 'delete').map(([, t]) => t), b);
    }
  });
});

function lcs(a, b) {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = up;
    }
  }
  return row[b.length];
}
