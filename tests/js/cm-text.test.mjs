// The editor's side of OT without a browser: CodeMirror's state (no view) with the same extensions the
// page uses for text and history, driven as the page drives it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Compartment, EditorSelection, EditorState, StateField, history, redo, undo,
} from '../../wwwroot/lib/codemirror/codemirror.js';
import {
  changesFromOperation, historyCarried, isLocalEdit, operationFromChanges, pastableText, pastedText, remoteTransaction, sharedTextLines,
  undoHistoryField,
} from '../../wwwroot/js/cm-text.js';
import { operationFromEdit } from '../../wwwroot/js/text-diff.js';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { createRandom, randomOperation, randomText } from './random-edits.mjs';

/** An editor state and what the user's and others' edits do to it, as the page's CoEditor does. */
class Editor {
  constructor(text) {
    this.state = EditorState.create({ doc: text, extensions: [sharedTextLines, history()] });
    this.sent = [];
  }

  get text() { return this.state.doc.toString(); }

  dispatch(spec) {
    const tr = spec.startState ? spec : this.state.update(spec);
    if (isLocalEdit(tr)) this.sent.push(operationFromChanges(tr.changes));
    this.state = tr.state;
  }

  typeAt(pos, text) {
    this.dispatch({ changes: { from: pos, insert: text }, selection: EditorSelection.cursor(pos + text.length), userEvent: 'input.type' });
  }

  remote(json) {
    this.dispatch(remoteTransaction(TextOperation.fromJSON(json), { authorId: 'u-ie', author: 'Ireland delegate' }));
  }

  undo() { return undo({ state: this.state, dispatch: (tr) => this.dispatch(tr) }); }

  redo() { return redo({ state: this.state, dispatch: (tr) => this.dispatch(tr) }); }
}

describe('CodeMirror changes and OT operations', () => {
  test('any operation becomes changes that give the same text, and those changes give the operation back', () => {
    const random = createRandom(613);
    for (let round = 0; round < 500; round++) {
      const text = randomText(random, 8);
      const op = randomOperation(random, text);
      const state = EditorState.create({ doc: text, extensions: [sharedTextLines] });
      const tr = state.update({ changes: changesFromOperation(op) });
      assert.equal(tr.state.doc.toString(), op.apply(text));
      assert.ok(operationFromChanges(tr.changes).equals(op), JSON.stringify(op.toJSON()));
    }
  });

  test('a carriage return stays a character of the text, so positions agree with the server', () => {
    const state = EditorState.create({ doc: 'One\r\nTwo', extensions: [sharedTextLines] });
    assert.equal(state.doc.length, 8);
    assert.equal(state.doc.toString(), 'One\r\nTwo');
    const tr = state.update({ changes: { from: 8, insert: '\nThree' } });
    assert.deepEqual(operationFromChanges(tr.changes).toJSON(), [8, '\nThree']);
  });

  test('others\' edits are not the user\'s: they are not sent back', () => {
    const editor = new Editor('Text');
    editor.remote(['Our ', 4]);
    assert.equal(editor.text, 'Our Text');
    assert.equal(editor.sent.length, 0);
  });
});

describe('undo takes back only the user\'s own edits', () => {
  test('A types at the end, B at the start, A undoes: ALPHA goes, BETA stays; redo brings ALPHA back', () => {
    const a = new Editor('Draft.');
    a.typeAt(6, ' ALPHA');
    a.remote(['BETA ', 12]);
    assert.equal(a.text, 'BETA Draft. ALPHA');
    assert.equal(a.undo(), true);
    assert.equal(a.text, 'BETA Draft.');
    assert.deepEqual(a.sent.at(-1).toJSON(), [11, -6], 'the undo is sent as an edit like any other');
    assert.equal(a.redo(), true);
    assert.equal(a.text, 'BETA Draft. ALPHA');
  });

  test('own edits between others\' edits before and after them are undone one by one, the others kept', () => {
    const a = new Editor('0123456789');
    a.typeAt(5, 'A');                // 01234A56789
    a.remote(['x', 11]);             // x01234A56789
    a.remote([12, 'y']);             // x01234A56789y
    a.typeAt(1, 'B');                // xB01234A56789y
    a.remote([7, 'z', 7]);           // xB01234zA56789y
    assert.equal(a.text, 'xB01234zA56789y');
    a.undo();
    assert.equal(a.text, 'x01234zA56789y');
    a.undo();
    assert.equal(a.text, 'x01234z56789y');
    assert.equal(a.undo(), false, 'nothing of A\'s left to undo');
    a.redo();
    a.redo();
    assert.equal(a.text, 'xB01234zA56789y');
  });

  test('the user\'s caret stays before text someone else inserts exactly at it', () => {
    const a = new Editor('Brussels');
    a.state = a.state.update({ selection: EditorSelection.cursor(5) }).state;
    a.remote([5, 'XYZ', 3]);
    assert.equal(a.state.selection.main.head, 5);
    a.state = a.state.update({ selection: EditorSelection.range(6, 8) }).state;
    a.remote([2, -2, 7]);
    assert.deepEqual([a.state.selection.main.from, a.state.selection.main.to], [4, 6]);
  });
});

describe('after the server refuses the user\'s edits', () => {
  test('undo forgets them and still takes back the confirmed edit before them, once, among others\' edits', () => {
    assert.ok(undoHistoryField instanceof StateField, 'the pinned CodeMirror still brings its history as a state field');
    const undoHistory = new Compartment();
    let state = EditorState.create({ doc: 'Brussels', extensions: [sharedTextLines, undoHistory.of(history())] });
    const run = (command) => command({ state, dispatch: (tr) => { state = tr.state; } });
    state = state.update({ changes: { from: 8, insert: ' today' }, userEvent: 'input.type' }).state;
    const before = { history: state.field(undoHistoryField), doc: state.doc };
    // Refused: the user deletes their own words and types elsewhere; meanwhile someone else's edit arrives.
    state = state.update({ changes: { from: 8, to: 14 }, userEvent: 'delete.backward' }).state;
    state = state.update({ changes: { from: 0, insert: 'x' }, userEvent: 'input.type' }).state;
    state = state.update(remoteTransaction(TextOperation.fromJSON([9, '!']))).state;
    state = state.update(remoteTransaction(operationFromEdit(state.doc.toString(), 'Brussels today!'))).state;
    state = state.update({ effects: undoHistory.reconfigure(historyCarried(before, state.doc)) }).state;

    assert.equal(run(undo), true);
    assert.equal(state.doc.toString(), 'Brussels!');
    assert.equal(run(undo), false);
    assert.equal(run(redo), true);
    assert.equal(state.doc.toString(), 'Brussels today!');
  });
});

describe('pasted text', () => {
  test('line ends of every kind become line feeds, as the server wants them', () => {
    assert.equal(pastableText('a\r\nb\rc\vd\fe\u0085f\ng'), 'a\nb\nc\nd\ne\nf\ng');
  });

  test('characters no text may hold are left out; emoji, combining marks, tabs and other scripts stay', () => {
    assert.equal(pastableText('x\u0000\u0001\u007f\u009by'), 'xy');
    assert.equal(pastableText('\ufdd0\uffff\u{1fffe}ok\u{10ffff}'), 'ok');
    assert.equal(pastableText('half \ud83d and \ude00 halves'), 'half  and  halves');
    const kept = 'Ελλάδα e\u0301 👍🏽 👩‍👩‍👧\tמ';
    assert.equal(pastableText(kept), kept);
  });

  test('says how many characters it left out, by code point, and none for line ends it turned into line feeds', () => {
    assert.deepEqual(pastedText('a\r\nb\fc'), { kept: 'a\nb\nc', leftOut: 0 });
    assert.deepEqual(pastedText('x\u0000\u0001y\u{1fffe}'), { kept: 'xy', leftOut: 3 });
    assert.deepEqual(pastedText('\u0002'), { kept: '', leftOut: 1 });
  });
});
