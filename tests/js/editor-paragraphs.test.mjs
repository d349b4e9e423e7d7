import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '../../wwwroot/lib/codemirror/codemirror.js';
import { describePosition, paragraphNumbers, paragraphRange, setNumbering } from '../../wwwroot/js/editor-paragraphs.js';
import { changesFromOperation, sharedTextLines } from '../../wwwroot/js/cm-text.js';
import { paragraphNumbersByLine } from '../../wwwroot/js/paragraphs.js';
import { createRandom, randomText } from './random-edits.mjs';

const stateOf = (doc) => EditorState.create({ doc, extensions: [sharedTextLines, paragraphNumbers] });

describe('the editor\'s paragraph numbers', () => {
  test('follow every edit, including those that skip the recount (typing inside a paragraph)', () => {
    const random = createRandom(7001);
    let state = stateOf('First.\n\nSecond.\n  \nThird.');
    for (let round = 0; round < 1500; round++) {
      const text = state.doc.toString();
      const op = text.length > 400 || random.next() < 0.4 ? deleteSome(random, text) : insertAt(random, text);
      state = state.update({ changes: changesFromOperation(op) }).state;
      const expected = paragraphNumbersByLine(state.doc.toString().split('\n'));
      assert.deepEqual([...state.field(paragraphNumbers).byLine], [...expected], JSON.stringify(state.doc.toString()));
    }
  });

  test('typing inside a paragraph keeps the numbering as it was, so the margin is not redrawn', () => {
    const state = stateOf('One.\nTwo.');
    const before = state.field(paragraphNumbers);
    const typed = state.update({ changes: { from: 2, insert: 'ne' } }).state;
    assert.equal(typed.field(paragraphNumbers), before);
  });

  test('an offset carries the numbers on from the items printed before, and positions are told in words', () => {
    let state = stateOf('One.\n\nTwo.\nThree.');
    state = state.update({ effects: setNumbering.of({ offset: 6, exact: true }) }).state;
    assert.deepEqual(paragraphRange(state), { first: 7, last: 9 });
    assert.equal(describePosition(state, 0), 'paragraph 7');
    assert.equal(describePosition(state, 5), 'between paragraphs 7 and 8');
    assert.equal(describePosition(state, state.doc.length), 'paragraph 9');
    assert.equal(paragraphRange(stateOf('\n \n')), null);
  });
});

function insertAt(random, text) {
  const points = Array.from(text);
  const at = points.slice(0, random.int(points.length + 1)).join('').length;
  const insert = random.next() < 0.2 ? '\n' : random.next() < 0.2 ? '  ' : randomText(random);
  return changesToOp(text.length, at, insert);
}

function deleteSome(random, text) {
  const points = Array.from(text);
  const at = random.int(points.length + 1);
  const count = Math.min(points.length - at, 1 + random.int(random.next() < 0.1 ? 60 : 4));
  const from = points.slice(0, at).join('').length;
  const to = from + points.slice(at, at + count).join('').length;
  return { ops: [from, -(to - from), text.length - to].filter((c) => c !== 0) };
}

function changesToOp(length, at, insert) {
  return { ops: [at, insert, length - at].filter((c) => c !== 0 && c !== '') };
}
