// Between CodeMirror's changes and OT operations. Both count UTF-16 code units, and the editor splits lines
// on '\n' only (EditorState.lineSeparator), so a position in the editor is a position in the shared text.
// Other people's operations enter the editor as transactions marked `remote`, kept out of the undo
// history: undo then takes back only the user's own edits, mapped through everyone else's.

import { Annotation, ChangeSet, EditorState, StateField, Transaction, history } from '../lib/codemirror/codemirror.js';
import { TextOperation } from './ot.js';
import { operationFromEdit } from './text-diff.js';
import { findRefusedCharacter } from './text-rules.js';

/** On a transaction that applies others' edits (or the server's text): who made it, or null for a resync. */
export const remoteEdit = Annotation.define();

/** The editor's text is the OT text, code unit for code unit: never turn '\r\n' into one line break. */
export const sharedTextLines = EditorState.lineSeparator.of('\n');

/**
 * The OT operation for a transaction's changes.
 * @param {import('../lib/codemirror/codemirror.js').ChangeSet} changes
 * @returns {TextOperation}
 */
export function operationFromChanges(changes) {
  const builder = TextOperation.builder();
  let at = 0;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    builder.retain(fromA - at);
    builder.delete(toA - fromA);
    builder.insert(inserted.sliceString(0, inserted.length, '\n'));
    at = toA;
  });
  builder.retain(changes.length - at);
  return builder.build();
}

/**
 * CodeMirror change specs for an operation on the editor's current text.
 * @param {TextOperation} operation
 * @returns {{from: number, to?: number, insert?: string}[]}
 */
export function changesFromOperation(operation) {
  const specs = [];
  let at = 0;
  for (const component of operation.ops) {
    if (typeof component === 'string') {
      specs.push({ from: at, insert: component });
    } else if (component > 0) {
      at += component;
    } else {
      specs.push({ from: at, to: at - component });
      at -= component;
    }
  }
  return specs;
}

/**
 * The transaction spec that applies others' operation: out of the undo history, the selection left for
 * CodeMirror to map (setting it would end a composition in progress).
 * @param {TextOperation} operation
 * @param {string | null} author
 */
export function remoteTransaction(operation, author = null) {
  return {
    changes: changesFromOperation(operation),
    annotations: [remoteEdit.of(author), Transaction.addToHistory.of(false)],
  };
}

/** Line ends other than '\n' that pasted text brings: Windows and old Mac ones, Word's manual line break (U+000B), a page break (U+000C), NEL. */
const FOREIGN_LINE_BREAKS = /\r\n?|[\v\f\u0085]/g;

/**
 * Text pasted or dropped into the editor, as the server takes it (text-rules.js): its line ends become '\n', as a
 * textarea does, and the characters no text may hold (other control characters, noncharacters) are left out, rather
 * than have the server refuse the whole paste and everything typed with it.
 * @param {string} text
 * @returns {string}
 */
export function pastableText(text) {
  return pastedText(text).kept;
}

/**
 * The same, with how many characters (code points; a line end is none) were left out, for the editor to say so.
 * @param {string} text
 * @returns {{kept: string, leftOut: number}}
 */
export function pastedText(text) {
  const lines = text.replace(FOREIGN_LINE_BREAKS, '\n');
  if (findRefusedCharacter(lines) === null) return { kept: lines, leftOut: 0 };
  let kept = '';
  let leftOut = 0;
  // By code point, so that an emoji stays whole and a lone half of a surrogate pair goes.
  for (const character of lines) {
    if (findRefusedCharacter(character) === null) kept += character;
    else leftOut += 1;
  }
  return { kept, leftOut };
}

/** True for a transaction the user made (typing, pasting, undo), false for one that brought others' edits. */
export function isLocalEdit(transaction) {
  return transaction.docChanged && transaction.annotation(remoteEdit) === undefined;
}

/** CodeMirror's undo history: the state field that `history()` brings (in the pinned version; cm-text.test.mjs checks). */
export const undoHistoryField = history().find((extension) => extension instanceof StateField) ?? null;

/**
 * The undo history as it stood at `before` (its history and text, taken before the user's first unconfirmed edit), carried
 * to the text `now`: for after the server refused those edits, so that undo forgets them and still takes back the user's
 * confirmed work. Null when that history cannot be carried (then the caller starts a new one).
 * @param {{history: unknown, doc: import('../lib/codemirror/codemirror.js').Text}} before
 * @param {import('../lib/codemirror/codemirror.js').Text} now
 */
export function historyCarried(before, now) {
  const value = before.history;
  if (!undoHistoryField || typeof value?.addMapping !== 'function' || typeof value.isolate !== 'function') return null;
  const op = operationFromEdit(before.doc.toString(), now.toString());
  const carried = op ? value.addMapping(ChangeSet.of(changesFromOperation(op), before.doc.length).desc) : value;
  // Isolated: the next thing typed starts an undo step of its own, not one joined to the words before the refusal.
  return [undoHistoryField.init(() => carried.isolate()), history().filter((extension) => extension !== undoHistoryField)];
}
