import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '../../wwwroot/lib/codemirror/codemirror.js';
import { authorAt, authorship, setAuthorship } from '../../wwwroot/js/editor-authorship.js';
import { remoteTransaction, sharedTextLines } from '../../wwwroot/js/cm-text.js';
import { TextOperation } from '../../wwwroot/js/ot.js';

const you = { userId: 'u-fr', name: 'France delegate' };
const ireland = { authorId: 'u-ie', author: 'Ireland delegate' };
const colourOf = (id) => (id === 'u-fr' ? 0 : 1);

/** The passages as [text, author] and the labels as [position, name]. */
function passages(state) {
  const marks = [];
  const labels = [];
  state.field(authorship).decorations.between(0, state.doc.length, (from, to, deco) => {
    if (deco.spec.widget) labels.push([from, deco.spec.widget.name]);
    else marks.push([state.sliceDoc(from, to), deco.spec.attributes.title.replace('Written by ', '')]);
  });
  return { marks, labels };
}

describe('who wrote what, in the editor', () => {
  test('starts from the history\'s runs, then gives typed text to whoever typed it, one passage per person', () => {
    let state = EditorState.create({ doc: 'Original. Irish.', extensions: [sharedTextLines, authorship] });
    state = state.update({ effects: setAuthorship.of({ runs: [
      { from: 0, to: 10, authorId: null, author: null },
      { from: 10, to: 16, ...ireland },
    ], you, colourOf }) }).state;
    assert.deepEqual(passages(state), { marks: [['Irish.', 'Ireland delegate']], labels: [[10, 'Ireland delegate']] });

    // Ireland types on at the end of its passage, letter by letter: still one passage, one label.
    for (const ch of ' More') {
      state = state.update(remoteTransaction(TextOperation.fromJSON([state.doc.length, ch]), ireland)).state;
    }
    assert.deepEqual(passages(state), { marks: [['Irish. More', 'Ireland delegate']], labels: [[10, 'Ireland delegate']] });

    // The user types at the start: the user's own passage, labelled.
    state = state.update({ changes: { from: 0, insert: 'Paris: ' }, userEvent: 'input.type' }).state;
    const { marks, labels } = passages(state);
    assert.deepEqual(marks, [['Paris: ', 'France delegate'], ['Irish. More', 'Ireland delegate']]);
    assert.deepEqual(labels, [[0, 'France delegate'], [17, 'Ireland delegate']]);
    assert.equal(authorAt(state, 2), 'France delegate');
    assert.equal(authorAt(state, 8), null, 'the original text has no author');

    // Ireland types just before its own passage: the passage grows backwards and keeps one label, at its new start.
    state = state.update(remoteTransaction(TextOperation.fromJSON([17, 'Yes. ', 11]), ireland)).state;
    assert.deepEqual(passages(state).labels, [[0, 'France delegate'], [17, 'Ireland delegate']]);
    assert.deepEqual(passages(state).marks.at(-1), ['Yes. Irish. More', 'Ireland delegate']);

    state = state.update({ effects: setAuthorship.of(null) }).state;
    assert.equal(state.field(authorship), null);
  });
});
