// Proposals over the live text in a CodeMirror editor, as tracked changes: the words a proposal would change are
// struck through and underlined in dots, and the words it would put in follow them in a box that names the
// delegation and the proposal's number ("France 7: shall"). Shape and words, not colour alone. The list beside the
// draft says the same in words for screen readers, so the boxes are aria-hidden here, as others' carets are; a cursor
// that comes into a proposal's words is told which proposal it is in and what it proposes (proposalUnderCursor).
// The editor sets the whole list (setProposals) whenever the proposals or the text move; between two sets, the
// marks are mapped through each change so that they stay on their words.

import { Decoration, EditorState, EditorView, StateEffect, StateField, WidgetType } from '../lib/codemirror/codemirror.js';

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

/** The proposals whose words hold `pos` (from their first word's start to their last's end), or that insert at it. */
export function proposalsAt(state, pos) {
  return (state.field(proposalMarks, false) ?? []).filter((m) => m.from <= pos && pos <= m.to);
}

const QUOTED_MAX = 80;
const quoted = (words) => `“${words.length > QUOTED_MAX ? `${words.slice(0, QUOTED_MAX - 1)}…` : words}”`;

/** "Proposal 7 of France: replace “should” with “shall”": what a proposal would do, in words. */
export function describeProposal(state, mark, noun = 'Proposal') {
  const words = state.doc.sliceString(mark.from, mark.to);
  const what = mark.deleted ? 'its words were deleted'
    : !words ? `insert ${quoted(mark.replacement)} here`
      : !mark.replacement ? `delete ${quoted(words)}`
        : `replace ${quoted(words)} with ${quoted(mark.replacement)}`;
  return `${noun} ${mark.number} of ${mark.proposer}: ${what}`;
}

/**
 * The boxes are hidden from screen readers, and the struck words read as any other: a cursor moved into a proposal's
 * words (by keys, a click or a search) is told, once on the way in, which proposal it is and what it proposes.
 * Typing is not (the cursor is already there), nor is moving on within the same proposal.
 */
export const proposalUnderCursor = EditorState.transactionExtender.of((tr) => {
  if (!tr.selection || tr.docChanged) return null;
  const state = tr.startState;
  const before = new Set(proposalsAt(state, state.selection.main.head).map((m) => m.id));
  const entered = proposalsAt(state, tr.selection.main.head).filter((m) => !before.has(m.id));
  if (entered.length === 0) return null;
  return { effects: EditorView.announce.of(`${entered.map((m) => describeProposal(state, m)).join('. ')}.`) };
});
