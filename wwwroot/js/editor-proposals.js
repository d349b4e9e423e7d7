// Proposals over the live text in a CodeMirror editor, as tracked changes: the words a proposal would change are
// struck through and underlined in dots, and the words it would put in follow them in a box that names the
// delegation and the proposal's number ("France 7: shall"). Shape and words, not colour alone. The list beside the
// draft says the same in words for screen readers, so the boxes are aria-hidden here, as others' carets are.
// The editor sets the whole list (setProposals) whenever the proposals or the text move; between two sets, the
// marks are mapped through each change so that they stay on their words.

import { Decoration, EditorView, StateEffect, StateField, WidgetType } from '../lib/codemirror/codemirror.js';

/**
 * @typedef {{id: number, number: number, proposer: string, from: number, to: number, replacement: string, deleted: boolean}} ProposalMark
 */

/** Replaces the proposals shown. */
export const setProposals = StateEffect.define();

class ProposedWords extends WidgetType {
  constructor(mark) {
    super();
    this.mark = mark;
  }

  eq(other) {
    return other.mark.id === this.mark.id && other.mark.replacement === this.mark.replacement
      && other.mark.deleted === this.mark.deleted && other.mark.proposer === this.mark.proposer;
  }

  toDOM() {
    const box = document.createElement('span');
    box.className = `proposal-insert${this.mark.deleted ? ' is-orphaned' : ''}`;
    box.setAttribute('aria-hidden', 'true');
    box.dataset.proposalId = String(this.mark.id);
    const label = document.createElement('span');
    label.className = 'proposal-label';
    label.textContent = `${this.mark.proposer} ${this.mark.number}${this.mark.deleted ? ' (its words were deleted)' : ''}`;
    box.append(label);
    if (this.mark.replacement) {
      const words = document.createElement('ins');
      words.textContent = this.mark.replacement;
      box.append(words);
    } else if (!this.mark.deleted) {
      const words = document.createElement('span');
      words.className = 'proposal-deletes';
      words.textContent = 'delete';
      box.append(words);
    }
    return box;
  }

  ignoreEvent() { return true; }
}

const clamp = (n, max) => Math.max(0, Math.min(max, n | 0));

/** @type {StateField<ProposalMark[]>} */
export const proposalMarks = StateField.define({
  create: () => [],
  update(marks, tr) {
    let next = marks;
    if (tr.docChanged && marks.length > 0) {
      next = marks.map((m) => {
        if (m.from === m.to) {
          const at = tr.changes.mapPos(m.from, 1);
          return { ...m, from: at, to: at };
        }
        const from = tr.changes.mapPos(m.from, 1);
        return { ...m, from, to: Math.max(from, tr.changes.mapPos(m.to, -1)) };
      });
    }
    for (const effect of tr.effects) {
      if (effect.is(setProposals)) {
        const length = tr.state.doc.length;
        next = effect.value.map((m) => {
          const from = clamp(m.from, length);
          return { ...m, from, to: Math.max(from, clamp(m.to, length)) };
        });
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (marks) => {
    const ranges = [];
    for (const m of marks) {
      if (m.to > m.from) {
        ranges.push(Decoration.mark({
          class: 'proposal-delete',
          attributes: { 'data-proposal-id': String(m.id), title: `Proposal ${m.number} of ${m.proposer}` },
        }).range(m.from, m.to));
      }
      ranges.push(Decoration.widget({ widget: new ProposedWords(m), side: 1 }).range(m.to));
    }
    return Decoration.set(ranges, true);
  }),
});
