// Other people's carets and selections in a CodeMirror editor: a caret is a thin bar in the person's colour
// with their name above it, a selection is tinted in that colour. Both are decorations, mapped through every
// change (ours and others'), so they stay on the text they were on. The names are aria-hidden here: the list
// below the editor says in words who is where, and a screen reader must not read names as part of the text.

import { Decoration, EditorView, StateEffect, StateField, ViewPlugin, WidgetType } from '../lib/codemirror/codemirror.js';

/**
 * @typedef {{id: string, userId: string, name: string, colour: number, anchor: number, head: number}} RemoteCaret
 */

/** Shows or moves one connection's caret. */
export const setCaret = StateEffect.define();

/** Keeps only the carets for which the given function is true. */
export const keepCarets = StateEffect.define();

class CaretWidget extends WidgetType {
  constructor(name, colour) {
    super();
    this.name = name;
    this.colour = colour;
  }

  eq(other) { return other.name === this.name && other.colour === this.colour; }

  toDOM() {
    const caret = document.createElement('span');
    caret.className = `remote-caret c${this.colour}`;
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'remote-caret-label';
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }

  ignoreEvent() { return true; }
}

const clamp = (n, max) => Math.max(0, Math.min(max, n | 0));

/** @type {StateField<Map<string, RemoteCaret>>} */
export const remoteCarets = StateField.define({
  create: () => new Map(),
  update(carets, tr) {
    let next = carets;
    if (tr.docChanged && carets.size > 0) {
      // Text typed right at someone's caret goes before it, as their own typing would push it on. When no caret
      // moves (typing after all of them), the field keeps its value and nothing about the carets is redrawn.
      const mapped = [...carets].map(([id, caret]) => [id, caret, tr.changes.mapPos(caret.anchor, 1), tr.changes.mapPos(caret.head, 1)]);
      if (mapped.some(([, caret, anchor, head]) => anchor !== caret.anchor || head !== caret.head)) {
        next = new Map(mapped.map(([id, caret, anchor, head]) => [id, { ...caret, anchor, head }]));
      }
    }
    for (const effect of tr.effects) {
      if (effect.is(setCaret)) {
        if (next === carets) next = new Map(carets);
        const length = tr.state.doc.length;
        next.set(effect.value.id, { ...effect.value, anchor: clamp(effect.value.anchor, length), head: clamp(effect.value.head, length) });
      } else if (effect.is(keepCarets)) {
        for (const [id, caret] of next) {
          if (!effect.value(caret)) {
            if (next === carets) next = new Map(carets);
            next.delete(id);
          }
        }
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (carets) => {
    const ranges = [];
    for (const caret of carets.values()) {
      const from = Math.min(caret.anchor, caret.head);
      const to = Math.max(caret.anchor, caret.head);
      if (to > from) {
        ranges.push(Decoration.mark({ class: `remote-selection c${caret.colour}` }).range(from, to));
      }
      ranges.push(Decoration.widget({ widget: new CaretWidget(caret.name, caret.colour), side: 1 }).range(caret.head));
    }
    return Decoration.set(ranges, true);
  }),
});

/** A name that would stick out past the editor's right edge is drawn to the left of its caret instead. */
const flipLabels = ViewPlugin.fromClass(class {
  constructor(view) { this.schedule(view); }

  update(update) {
    if (update.state.field(remoteCarets).size === 0) return;
    if (update.geometryChanged || update.startState.field(remoteCarets) !== update.state.field(remoteCarets)) {
      this.schedule(update.view);
    }
  }

  schedule(view) {
    view.requestMeasure({
      key: this,
      read: () => {
        const edge = view.contentDOM.getBoundingClientRect().right;
        return [...view.contentDOM.querySelectorAll('.remote-caret')].map((caret) => ({
          label: caret.firstElementChild,
          flip: caret.getBoundingClientRect().left + (caret.firstElementChild?.offsetWidth ?? 0) > edge,
        }));
      },
      write: (labels) => {
        for (const { label, flip } of labels) label?.classList.toggle('flip', flip);
      },
    });
  }
});

export const remoteCaretExtension = [remoteCarets, flipLabels];
