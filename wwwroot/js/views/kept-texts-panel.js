// The text a person typed that the server refused (a lock, a freeze) or never got (the session ended), shown
// on their item until they dismiss it: to copy it back, or to keep it for later (it stays, quietly, across
// reloads and sign-ins, in this browser only: see kept-texts.js).

import { DocumentIds } from '../hub-names.js';
import { h, reconcile, timeOf } from '../dom.js';
import { icon } from '../icons.js';
import { keptTexts } from '../kept-texts.js';

/** Where the texts of items no longer on the person's agenda are kept (no item has this id). */
export const REMOVED_ITEMS = 0;

export class KeptTextsPanel {
  #session;
  #itemId;
  #off;
  /** The entries as last drawn: where the one the person just dismissed was typed. */
  #shown = [];

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    this.element = h('section', { class: 'kept-texts', 'aria-label': 'Your text that was not saved', hidden: true });
    this.#off = keptTexts.subscribe((meetingId, changedItemId) => {
      if (meetingId === session.state.meetingId && changedItemId === itemId) this.render();
    });
    this.render();
  }

  /**
   * Entries that did not change stay as they are (an offered one is an alert: drawn again, it would be read out again,
   * and the focus on its buttons lost). One the person acted on is drawn anew, and the focus goes to it, or to the next.
   */
  render() {
    const entries = this.#list();
    const active = document.activeElement;
    const focusedId = active instanceof HTMLElement && this.element.contains(active) ? active.closest('[data-kept-id]')?.dataset.keptId : null;
    this.element.hidden = entries.length === 0;
    reconcile(this.element, entries, (entry) => `${entry.id}:${entry.kept ? 'kept' : 'offered'}`, (entry) => this.#entry(entry), () => {});
    const before = this.#shown;
    this.#shown = entries;
    if (focusedId && !this.element.contains(document.activeElement)) {
      const same = [...this.element.children].find((el) => el.dataset.keptId === focusedId);
      const next = (same ?? this.element.firstElementChild)?.querySelector('button');
      // The last one gone, the panel goes too: the keyboard goes on from the text the words were typed in, not the page's top.
      if (next) next.focus();
      else textOf(before.find((e) => e.id === focusedId)?.documentId)?.focus();
    }
  }

  dispose() {
    this.#off();
  }

  #list() {
    const state = this.#session.state;
    return keptTexts.list(state.you.userId, state.meetingId, this.#itemId);
  }

  #entry(entry) {
    const state = this.#session.state;
    const where = describe(entry.documentId, state);
    const body = h('textarea', {
      class: 'kept-text-body', readOnly: true, rows: String(Math.min(6, Math.max(2, Math.ceil(entry.text.length / 60)))),
      'aria-label': `Your unsaved text from ${where}`, value: entry.text, spellcheck: 'false',
    });
    const said = h('span', { class: 'kept-said', role: 'status' });
    const act = (fn) => () => fn(state.you.userId, state.meetingId, this.#itemId, entry.id);
    const copy = h('button', {
      type: 'button', class: 'button small',
      on: { click: async () => { said.textContent = (await copyText(entry.text, body)) ? 'Copied.' : 'Could not copy: select the text and copy it.'; } },
    }, 'Copy');
    const dismiss = h('button', {
      type: 'button', class: 'button small quiet',
      on: { click: act((...key) => keptTexts.dismiss(...key)) },
    }, entry.kept ? 'Dismiss' : 'Discard');
    if (entry.kept) {
      return h('div', { class: 'kept-text is-kept', dataset: { keptId: entry.id } },
        h('p', { class: 'kept-title' }, icon('info'), h('span', {}, `Kept for later: your text from ${where}${entry.at ? `, ${timeOf(entry.at)}` : ''}`)),
        body,
        h('div', { class: 'kept-actions' }, copy, dismiss, said));
    }
    return h('div', { class: 'kept-text is-offered', role: 'alert', dataset: { keptId: entry.id } },
      h('p', { class: 'kept-title' }, icon('alert'), h('span', {}, `Not saved: ${entry.reason || 'the server did not take your edit.'}`)),
      h('p', { class: 'kept-explain' }, `What you typed in ${where} is here: copy it, or keep it for later.`),
      body,
      h('div', { class: 'kept-actions' },
        copy,
        h('button', { type: 'button', class: 'button small primary', on: { click: act((...key) => keptTexts.keep(...key)) } }, 'Keep for later'),
        dismiss,
        said));
  }
}

/** The editor of a text, where it is on the page. */
function textOf(documentId) {
  if (!documentId) return null;
  return [...document.querySelectorAll('.cm-editor')].find((el) => el.dataset.documentId === documentId)?.querySelector('.cm-content') ?? null;
}

function describe(documentId, state) {
  const doc = DocumentIds.parse(documentId);
  const removed = doc && !state.items.has(doc.itemId) ? ' of that item' : '';
  if (doc?.kind === 'position') return `the position text of ${state.participants.get(doc.code)?.name ?? doc.code}${removed}`;
  return `the draft conclusions${removed}`;
}

async function copyText(text, box) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or an old browser): copy the selection the way a person would.
    box.focus();
    box.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
