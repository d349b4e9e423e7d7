// Paragraph numbers in the editor's margin: the numbers the conclusions PDF prints (paragraphs.js has the
// rule). The gutter is decoration only (CodeMirror hides it from screen readers); the editor's footer says
// in words which paragraph the caret is in, and "Go to paragraph" moves there.

import { EditorSelection, EditorView, GutterMarker, StateEffect, StateField, gutter } from '../lib/codemirror/codemirror.js';
import { describeLine, isParagraph, paragraphNumbersByLine } from './paragraphs.js';

/** Sets where the numbering starts: {offset, exact}. exact is false when items before this one are hidden from the reader. */
export const setNumbering = StateEffect.define();

function numbersOf(doc) {
  return paragraphNumbersByLine(doc.iterLines());
}

/**
 * Typing inside a paragraph changes no number: only a change that adds or removes a line break, or that
 * turns a line from blank to written (or back), does. Saves counting every line of a long draft per keystroke.
 */
function numberingMayChange(byLine, tr) {
  let may = false;
  tr.changes.iterChanges((fromA, toA, fromB, _toB, inserted) => {
    if (may) return;
    if (inserted.lines > 1 || tr.startState.doc.lineAt(fromA).number !== tr.startState.doc.lineAt(toA).number) {
      may = true;
      return;
    }
    const line = tr.state.doc.lineAt(fromB);
    if (isParagraph(line.text) !== byLine[line.number - 1] > 0) may = true;
  });
  return may;
}

/** Per line, its paragraph's number within this text (0 for a blank line), and the offset to add. */
export const paragraphNumbers = StateField.define({
  create: (state) => ({ byLine: numbersOf(state.doc), offset: 0, exact: true }),
  update(value, tr) {
    let next = value;
    if (tr.docChanged && numberingMayChange(value.byLine, tr)) next = { ...next, byLine: numbersOf(tr.state.doc) };
    for (const effect of tr.effects) {
      if (effect.is(setNumbering)) next = { ...next, offset: effect.value.offset, exact: effect.value.exact };
    }
    return next;
  },
});

class NumberMarker extends GutterMarker {
  constructor(number) {
    super();
    this.number = number;
  }

  eq(other) { return other.number === this.number; }

  toDOM() { return document.createTextNode(String(this.number)); }
}

const markers = new Map();
const markerFor = (n) => {
  let marker = markers.get(n);
  if (!marker) {
    marker = new NumberMarker(n);
    if (markers.size < 2000) markers.set(n, marker);
  }
  return marker;
};

const numberGutter = gutter({
  class: 'cm-paragraph-numbers',
  lineMarker(view, line) {
    const { byLine, offset } = view.state.field(paragraphNumbers);
    const n = byLine[view.state.doc.lineAt(line.from).number - 1];
    return n > 0 ? markerFor(n + offset) : null;
  },
  lineMarkerChange: (update) => update.startState.field(paragraphNumbers) !== update.state.field(paragraphNumbers),
  initialSpacer: () => markerFor(99),
  updateSpacer: (spacer, update) => {
    const { byLine, offset } = update.state.field(paragraphNumbers);
    let last = 0;
    for (let i = byLine.length - 1; i >= 0 && last === 0; i--) last = byLine[i];
    const widest = Math.max(99, last + offset);
    return spacer.number >= widest ? spacer : markerFor(widest);
  },
});

export const paragraphGutter = [paragraphNumbers, numberGutter];

/** Where a position is, in words: "paragraph 7", "between paragraphs 3 and 4". */
export function describePosition(state, pos) {
  const { byLine, offset } = state.field(paragraphNumbers);
  const line = state.doc.lineAt(Math.max(0, Math.min(pos, state.doc.length))).number - 1;
  return describeLine(byLine, line, offset);
}

/** The range of paragraph numbers this text holds, e.g. {first: 7, last: 12}, or null when it has none. */
export function paragraphRange(state) {
  const { byLine, offset } = state.field(paragraphNumbers);
  let last = 0;
  for (let i = byLine.length - 1; i >= 0 && last === 0; i--) last = byLine[i];
  return last === 0 ? null : { first: offset + 1, last: offset + last };
}

/**
 * Moves the caret to the start of paragraph `number` (as numbered in the margin) and scrolls it into view.
 * @returns {boolean} false when the text has no such paragraph
 */
export function goToParagraph(view, number) {
  const { byLine, offset } = view.state.field(paragraphNumbers);
  const index = byLine.indexOf(number - offset);
  if (number - offset < 1 || index < 0) return false;
  const line = view.state.doc.line(index + 1);
  const start = line.from + (line.text.length - line.text.trimStart().length);
  view.dispatch({ selection: EditorSelection.cursor(start), effects: EditorView.scrollIntoView(start, { y: 'center' }), userEvent: 'select' });
  view.focus();
  return true;
}
