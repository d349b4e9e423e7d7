// "Who wrote what", on demand: each part of the text tinted in its author's colour, with the author's name
// at the start of each of their passages (and as a tooltip), so that colour is never the only clue. Starts
// from the server's history (text-history.js) and then follows every change as it happens: others' text
// is theirs (the remote transaction says whose), the user's own typing is the user's.

import { Decoration, EditorView, StateEffect, StateField, WidgetType } from '../lib/codemirror/codemirror.js';
import { remoteEdit } from './cm-text.js';

/**
 * Turns the colouring on with the given runs, or off with null.
 * @type {import('../lib/codemirror/codemirror.js').StateEffectType<null | {runs: {from: number, to: number, authorId: string | null, author: string | null}[],
 *   you: {userId: string, name: string}, colourOf: (userId: string) => number}>}
 */
export const setAuthorship = StateEffect.define();

class AuthorLabel extends WidgetType {
  constructor(name, colour) {
    super();
    this.name = name;
    this.colour = colour;
  }

  eq(other) { return other.name === this.name && other.colour === this.colour; }

  toDOM() {
    const label = document.createElement('span');
    label.className = `author-label c${this.colour}`;
    // For the eye: read out, a name would sound like words of the text. The editor's description says whose words the
    // caret is in, and the legend lists the authors.
    label.setAttribute('aria-hidden', 'true');
    label.textContent = this.name;
    return label;
  }

  ignoreEvent() { return true; }
}

function marksFor(from, to, authorId, author, colourOf, labelled) {
  if (to <= from || !authorId) return [];
  const colour = colourOf(authorId);
  const ranges = [Decoration.mark({ class: `authored c${colour}`, attributes: { title: `Written by ${author}` }, authorId, author }).range(from, to)];
  if (labelled) ranges.unshift(Decoration.widget({ widget: new AuthorLabel(author, colour), side: -1 }).range(from));
  return ranges;
}

/** @type {StateField<null | {decorations: import('../lib/codemirror/codemirror.js').DecorationSet, you: object, colourOf: Function}>} */
export const authorship = StateField.define({
  create: () => null,
  update(value, tr) {
    let next = value;
    for (const effect of tr.effects) {
      if (!effect.is(setAuthorship)) continue;
      if (effect.value === null) {
        next = null;
        continue;
      }
      const { runs, you, colourOf } = effect.value;
      const ranges = runs.flatMap((run) => marksFor(run.from, run.to, run.authorId, run.author, colourOf, true));
      next = { decorations: Decoration.set(ranges, true), you, colourOf };
      return next;
    }
    if (next === null || !tr.docChanged) return next;
    const remote = tr.annotation(remoteEdit);
    const who = remote === undefined ? { authorId: next.you.userId, author: next.you.name } : remote;
    let decorations = next.decorations.map(tr.changes);
    if (who?.authorId) {
      const title = `Written by ${who.author}`;
      tr.changes.iterChangedRanges((_fromA, _toA, fromB, toB) => {
        if (toB <= fromB) return;
        // Typing extends the author's passage (one mark, one label) rather than adding a piece per keystroke.
        let start = fromB;
        let end = toB;
        decorations.between(Math.max(0, fromB - 1), Math.min(tr.state.doc.length, toB + 1), (from, to, deco) => {
          if (deco.spec.attributes?.title === title && (to === fromB || from === toB)) {
            start = Math.min(start, from);
            end = Math.max(end, to);
          }
        });
        // The passage keeps one label, at its start; labels inside it go.
        let labelled = false;
        decorations.between(start, start, (from, _to, deco) => {
          if (from === start && deco.spec.widget instanceof AuthorLabel && deco.spec.widget.name === who.author) labelled = true;
        });
        decorations = decorations.update({
          filter: (from, to, deco) => {
            const mine = deco.spec.attributes?.title === title && from >= start && to <= end;
            const innerLabel = deco.spec.widget instanceof AuthorLabel && deco.spec.widget.name === who.author && from > start && from <= end;
            return !mine && !innerLabel;
          },
          filterFrom: start,
          filterTo: end,
          add: marksFor(start, end, who.authorId, who.author, next.colourOf, !labelled),
          sort: true,
        });
      });
    }
    return { ...next, decorations };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value?.decorations ?? Decoration.none),
});

/** Who wrote the text at a position, while the colouring is on. */
export function authorAt(state, pos) {
  const value = state.field(authorship, false);
  if (!value) return null;
  let found = null;
  value.decorations.between(pos, Math.min(pos + 1, state.doc.length), (_from, _to, deco) => {
    const title = deco.spec.attributes?.title;
    if (title) found = title.replace(/^Written by /, '');
  });
  return found;
}

/**
 * Who wrote each part of the text as the colouring has it now (null while it is off): consecutive runs over the whole
 * text, those no one's mark covers (the text as it stood before the first edit) with no author.
 * @returns {null | {from: number, to: number, authorId: string | null, author: string | null}[]}
 */
export function authorRuns(state) {
  const value = state.field(authorship, false);
  if (!value) return null;
  const runs = [];
  let at = 0;
  value.decorations.between(0, state.doc.length, (from, to, deco) => {
    if (!deco.spec.authorId || to <= Math.max(from, at)) return;
    if (from > at) runs.push({ from: at, to: from, authorId: null, author: null });
    runs.push({ from: Math.max(from, at), to, authorId: deco.spec.authorId, author: deco.spec.author });
    at = to;
  });
  if (at < state.doc.length) runs.push({ from: at, to: state.doc.length, authorId: null, author: null });
  return runs;
}
