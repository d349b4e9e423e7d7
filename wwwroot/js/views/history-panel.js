// A text's history, visible: a slider over its revisions (the text as it stood, who made that revision and
// when), and a comparison of any two revisions as a word-level diff, with insertions and deletions marked by
// <ins> and <del> (underlined and struck through, and named in words for screen readers), never by colour alone.
// It reads the server's history in pages (text-history.js), and follows new edits while it is open.

import { Api } from '../api.js';
import { h, instantText, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { TextHistory, runsThrough } from '../text-history.js';
import { summarize, wordDiff } from '../word-diff.js';

/** New edits are fetched at most this often while the panel is open. */
const FOLLOW_MS = 1000;

const when = (iso) => instantText(iso, { brief: true });

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export class HistoryPanel {
  #session;
  #documentId;
  #history;
  #options;
  #status;
  #slider;
  #sliderLabel;
  #revisionFacts;
  #text;
  #from;
  #to;
  #diff;
  #diffSummary;
  #open = false;
  #following = true;
  #followTimer = null;
  #disposed = false;

  /**
   * @param {import('../room-session.js').RoomSession} session
   * @param {string} documentId
   * @param {{id: string, heading?: string}} options the panel's element id (the editor's History button controls it), and
   *        its heading element: 'h4' (under the draft's h3) unless said; a position's is an h3, under the h2 "Positions"
   */
  constructor(session, documentId, options) {
    this.#session = session;
    this.#documentId = documentId;
    this.#options = options;
    const meetingId = session.meetingId;
    this.#history = new TextHistory({
      fetchPage: (since, limit) => Api.textHistory(meetingId, documentId, since, limit),
      fetchRevision: (revision) => Api.textRevision(meetingId, documentId, revision),
    });

    const id = options.id;
    this.#status = h('p', { class: 'history-status', role: 'status' });
    this.#slider = h('input', {
      type: 'range', id: `${id}-slider`, class: 'history-slider', min: '0', max: '0', step: '1', value: '0',
      'aria-describedby': `${id}-facts`,
      on: { input: () => { this.#following = Number(this.#slider.value) === this.#history.latest; this.#showRevision(); } },
    });
    this.#sliderLabel = h('label', { for: this.#slider.id }, 'Revision');
    this.#revisionFacts = h('p', { id: `${id}-facts`, class: 'history-facts' });
    this.#text = h('div', { class: 'history-text', tabindex: '0', role: 'document', 'aria-label': 'The text at this revision' });
    this.#from = h('input', { type: 'number', min: '0', id: `${id}-from`, class: 'history-number', value: '0' });
    this.#to = h('input', { type: 'number', min: '0', id: `${id}-to`, class: 'history-number', value: '0' });
    this.#diffSummary = h('p', { class: 'history-diff-summary', role: 'status' });
    this.#diff = h('div', { class: 'history-diff', tabindex: '0', role: 'document', 'aria-label': 'Changes between the two revisions' });

    this.element = h('section', { id, class: 'history-panel', hidden: true, 'aria-label': 'History of this text' },
      h('div', { class: 'history-head' },
        h(options.heading ?? 'h4', {}, icon('clock'), 'History'),
        this.#status),
      h('div', { class: 'history-browse' },
        h('div', { class: 'history-slider-row' },
          this.#sliderLabel,
          this.#slider,
          h('button', { type: 'button', class: 'button small', on: { click: () => this.#step(-1) } }, 'Earlier'),
          h('button', { type: 'button', class: 'button small', on: { click: () => this.#step(1) } }, 'Later'),
          h('button', { type: 'button', class: 'button small', on: { click: () => this.#latest() } }, 'Latest')),
        this.#revisionFacts,
        this.#text),
      h('form', {
        class: 'history-compare',
        on: { submit: (event) => { event.preventDefault(); this.#compare(); } },
      },
      h('span', { class: 'history-compare-title' }, 'Compare'),
      h('label', { for: this.#from.id }, 'revision'), this.#from,
      h('label', { for: this.#to.id }, 'with revision'), this.#to,
      h('button', { type: 'submit', class: 'button small' }, 'Show changes'),
      h('button', {
        type: 'button', class: 'button small quiet',
        on: { click: () => { this.#from.value = String(Math.max(0, Number(this.#slider.value) - 1)); this.#to.value = this.#slider.value; this.#compare(); } },
      }, 'What this revision changed')),
      this.#diffSummary,
      this.#diff);
  }

  /** Opens or closes the panel; the history is read when it first opens. */
  toggle() {
    this.#open = !this.#open;
    this.element.hidden = !this.#open;
    if (this.#open) this.#refresh({ first: !this.#history.started });
    return this.#open;
  }

  /** This text changed (an edit of ours or of others): follow it while open, and keep "who wrote what" loadable. */
  onTextChange() {
    if (!this.#open || this.#followTimer !== null) return;
    this.#followTimer = setTimeout(() => {
      this.#followTimer = null;
      this.#refresh({ first: false });
    }, FOLLOW_MS);
  }

  /**
   * Who wrote each part of the text the editor shows now: the server's history up to the page's revision,
   * with the user's own unconfirmed edits on top. Null (and a message) when the history cannot be read.
   * @param {import('../shared-text.js').SharedText} shared
   * @param {(message: string) => void} say where the progress and any failure are told ('' when done): beside the
   *   button that asked, since this panel may be closed
   */
  async authorshipNow(shared, say = (message) => this.#say(message)) {
    try {
      say('Reading who wrote what…');
      for (let tries = 0; tries < 3 && (!this.#history.started || this.#history.latest < shared.revision); tries++) {
        await this.#history.load();
      }
      if (this.#history.latest < shared.revision) {
        say('The history is not complete yet; try again in a moment.');
        return null;
      }
      const you = this.#session.state.you;
      let runs = this.#history.authorship(shared.revision);
      for (const pending of shared.pendingOperations) runs = runsThrough(runs, pending, { authorId: you.userId, author: you.name });
      say('');
      return runs;
    } catch (error) {
      say(`Could not read who wrote what: ${error.message}`);
      return null;
    }
  }

  dispose() {
    this.#disposed = true;
    clearTimeout(this.#followTimer);
  }

  async #refresh({ first }) {
    try {
      if (first) this.#say('Reading the history…');
      await this.#history.load((loaded, current) => {
        if (current > 0 && loaded < current) this.#say(`Reading the history: ${loaded} of ${current} revisions…`);
        this.#updateSlider();
      });
      if (this.#disposed) return;
      this.#say('');
      this.#updateSlider();
      if (first) {
        this.#from.value = '0';
        this.#to.value = String(this.#history.latest);
      }
    } catch (error) {
      this.#say(`Could not read the history: ${error.message}`);
    }
  }

  #updateSlider() {
    if (!this.#history.started) return;
    const latest = this.#history.latest;
    this.#slider.max = String(latest);
    if (this.#following) this.#slider.value = String(latest);
    this.#from.max = String(latest);
    this.#to.max = String(latest);
    this.#showRevision();
  }

  #step(by) {
    const next = Math.max(0, Math.min(this.#history.latest, Number(this.#slider.value) + by));
    this.#slider.value = String(next);
    this.#following = next === this.#history.latest;
    this.#showRevision();
    this.#slider.focus();
  }

  #latest() {
    this.#following = true;
    this.#updateSlider();
    this.#slider.focus();
  }

  #showRevision() {
    if (!this.#history.started) return;
    const revision = Number(this.#slider.value);
    const latest = this.#history.latest;
    const edit = this.#history.edit(revision);
    const facts = revision === 0
      ? `Revision 0 of ${latest}: the text before the first edit.`
      : `Revision ${revision} of ${latest}: ${edit.author}${edit.note ? ` (${edit.note})` : ''}, ${when(edit.at)}.`;
    this.#slider.setAttribute('aria-valuetext', facts);
    if (this.#revisionFacts.textContent !== facts) this.#revisionFacts.textContent = facts;
    const text = this.#history.textAt(revision);
    if (this.#text.textContent !== text) this.#text.textContent = text;
    this.#text.classList.toggle('is-empty', text.length === 0);
  }

  #compare() {
    if (!this.#history.started) return;
    const latest = this.#history.latest;
    // An empty field (or one the browser could not read as a number) is no revision, not revision 0.
    const read = (input) => (input.value.trim() === '' ? Number.NaN : Number(input.value));
    const from = read(this.#from);
    const to = read(this.#to);
    if (![from, to].every((n) => Number.isInteger(n) && n >= 0 && n <= latest)) {
      this.#diffSummary.textContent = `Revisions go from 0 to ${latest}.`;
      replaceChildren(this.#diff);
      return;
    }
    const parts = wordDiff(this.#history.textAt(from), this.#history.textAt(to));
    const { inserted, deleted } = summarize(parts);
    const changed = parts.some((p) => p.type !== 'equal');
    this.#diffSummary.textContent = changed
      ? `From revision ${from} to revision ${to}: ${plural(inserted, 'word', 'words')} inserted, ${plural(deleted, 'word', 'words')} deleted.`
      : `Revisions ${from} and ${to} are the same text.`;
    replaceChildren(this.#diff, diffNodes(parts));
  }

  #say(message) {
    if (this.#status.textContent !== message) this.#status.textContent = message;
  }
}

/**
 * A word diff's parts as the reader sees them: insertions in <ins>, deletions in <del>, each also said in words for
 * a screen reader and in print ("[inserted: …]"), so that colour is never the only clue. The versions panel shows
 * its comparisons the same way.
 * @param {import('../word-diff.js').DiffPart[]} parts
 */
export function diffNodes(parts) {
  return parts.map((part) => {
    if (part.type === 'equal') return part.text;
    const inserted = part.type === 'insert';
    return h(inserted ? 'ins' : 'del', {},
      h('span', { class: 'visually-hidden' }, inserted ? '[inserted: ' : '[deleted: '),
      part.text,
      h('span', { class: 'visually-hidden' }, ']'));
  });
}
