// A co-edited text in a textarea. Local edits become operations by diffing the old and new value;
// remote operations are applied with the caret carried across them; the other editors' carets and
// selections are drawn on a mirrored layer above the textarea, each with the person's name (and listed
// below the editor), so colour is never the only clue to who is where.

import { h, replaceChildren, uid } from '../dom.js';
import { icon } from '../icons.js';
import { operationFromEdit, transformOwnSelection } from '../text-diff.js';

const COLOURS = 8;
const CARET_SEND_MS = 150;

const assigned = new Map();

/**
 * Gives the people in the room distinct colours, in the order the room lists them, so that two people
 * on one text never share one while there are colours left. Colour is a help only: names are always shown.
 */
export function assignColours(users) {
  const taken = new Set([...assigned.entries()].filter(([id]) => users.some((u) => u.userId === id)).map(([, c]) => c));
  for (const user of users) {
    if (assigned.has(user.userId)) continue;
    let colour = 0;
    while (taken.has(colour) && colour < COLOURS) colour++;
    colour %= COLOURS;
    assigned.set(user.userId, colour);
    taken.add(colour);
  }
}

/** The same colour for a person everywhere on the page. */
export function colourOf(userId) {
  const known = assigned.get(userId);
  if (known !== undefined) return known;
  let hash = 0;
  for (const ch of String(userId)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % COLOURS;
}

export class CoEditor {
  #session;
  #documentId;
  #shared;
  #textarea;
  #overlay;
  #status;
  #notice;
  #others;
  #carets = new Map();
  #caretTimer = null;
  #caretWanted = false;
  #frozen = null;
  #refusal = null;
  #canEdit;
  #label;
  #disposers = [];

  /**
   * @param {import('../room-session.js').RoomSession} session
   * @param {string} documentId
   * @param {{label: string, rows?: number, canEdit: boolean, cannotEditReason?: string, className?: string}} options
   */
  constructor(session, documentId, { label, rows = 8, canEdit, cannotEditReason, className = '' }) {
    this.#session = session;
    this.#documentId = documentId;
    this.#shared = session.state.text(documentId);
    this.#canEdit = canEdit;
    this.#label = label;
    const id = uid('editor');
    const statusId = `${id}-status`;
    const noticeId = `${id}-notice`;

    this.#textarea = h('textarea', {
      id, class: 'editor-input', rows, spellcheck: 'true', lang: 'en',
      'aria-label': label, 'aria-describedby': `${noticeId} ${statusId}`,
      dataset: { documentId },
      value: this.#shared.text,
      on: {
        input: () => this.#onInput(),
        select: () => this.#queueCaret(),
        keyup: () => this.#queueCaret(),
        mouseup: () => this.#queueCaret(),
        focus: () => this.#queueCaret(),
        scroll: () => this.#syncScroll(),
      },
    });
    this.#overlay = h('div', { class: 'editor-overlay', 'aria-hidden': 'true' });
    this.#notice = h('p', { id: noticeId, class: 'editor-notice', hidden: true });
    this.#status = h('p', { id: statusId, class: 'editor-status' });
    this.#others = h('ul', { class: 'coeditors', 'aria-label': 'Others in this text' });
    this.element = h('div', { class: ['editor', className], dataset: { documentId } },
      this.#notice,
      h('div', { class: 'editor-surface' }, this.#textarea, this.#overlay),
      h('div', { class: 'editor-footer' }, this.#others, this.#status));
    this.#disposers.push(() => clearTimeout(this.#caretTimer));
    if (!canEdit) this.#frozen = cannotEditReason ?? 'You can read this text but not edit it.';
    this.#render();

    const resize = new ResizeObserver(() => this.#fit());
    resize.observe(this.#textarea);
    this.#disposers.push(() => resize.disconnect());
  }

  get documentId() { return this.#documentId; }
  get textarea() { return this.#textarea; }

  /** Read-only with the reason shown (locked, agreed), or editable again (reason null). */
  setFrozen(reason) {
    const next = this.#canEdit ? reason : (reason ?? this.#frozen);
    if (next === this.#frozen) return;
    this.#frozen = next;
    if (!next) this.#refusal = null;
    this.#render();
  }

  /** A text event for this document was applied to the shared text. */
  onTextChange(result) {
    if (result.kind === 'remote') {
      this.#applyToTextarea(result.operation);
      for (const caret of this.#carets.values()) {
        caret.anchor = result.operation.transformIndex(caret.anchor);
        caret.head = result.operation.transformIndex(caret.head);
      }
    } else if (result.kind === 'ack' && this.#caretWanted) {
      this.#queueCaret();
    }
    this.#render();
  }

  /** The whole text was replaced (snapshot reload, refused edit): show it, keeping the caret near. */
  resync(operation) {
    const op = operation ?? operationFromEdit(this.#textarea.value, this.#shared.text);
    if (op) this.#applyToTextarea(op);
    else if (this.#textarea.value !== this.#shared.text) this.#textarea.value = this.#shared.text;
    this.#render();
  }

  /** The server refused our edit: the text is back to what everyone sees, and we say why. */
  refused(message, operation) {
    this.#refusal = message;
    this.resync(operation);
  }

  /** Another connection's caret in this text. */
  showCaret(caret) {
    let { anchor, head } = caret;
    if (caret.revision === this.#shared.revision) {
      for (const pending of this.#shared.pendingOperations) {
        anchor = pending.transformIndex(anchor);
        head = pending.transformIndex(head);
      }
    }
    this.#carets.set(caret.connectionId, { userId: caret.userId, name: caret.name, anchor, head });
    this.#render();
  }

  /** Keeps only the carets of connections still looking at this text's item. */
  keepCarets(connectionIds) {
    let changed = false;
    for (const id of [...this.#carets.keys()]) {
      if (!connectionIds.has(id)) {
        this.#carets.delete(id);
        changed = true;
      }
    }
    if (changed) this.#render();
  }

  dispose() {
    for (const dispose of this.#disposers) dispose();
  }

  #onInput() {
    const before = this.#shared.text;
    const after = this.#textarea.value;
    const caret = this.#textarea.selectionEnd;
    const op = operationFromEdit(before, after, caret);
    if (op) {
      for (const other of this.#carets.values()) {
        other.anchor = op.transformIndex(other.anchor);
        other.head = op.transformIndex(other.head);
      }
    }
    this.#refusal = null;
    this.#session.edit(this.#documentId, after, caret);
    this.#queueCaret();
    this.#render();
  }

  #applyToTextarea(op) {
    const ta = this.#textarea;
    const focused = document.activeElement === ta;
    const selection = transformOwnSelection(op, { start: ta.selectionStart, end: ta.selectionEnd });
    const direction = ta.selectionDirection;
    const scroll = ta.scrollTop;
    ta.value = this.#shared.text;
    if (focused) ta.setSelectionRange(selection.start, selection.end, direction);
    ta.scrollTop = scroll;
  }

  #queueCaret() {
    this.#caretWanted = true;
    if (this.#caretTimer !== null) return;
    this.#caretTimer = setTimeout(() => {
      this.#caretTimer = null;
      // Positions are only meaningful to others once our edits are confirmed: wait for the ack.
      if (this.#shared.hasPending || document.activeElement !== this.#textarea) return;
      this.#caretWanted = false;
      const ta = this.#textarea;
      const [anchor, head] = ta.selectionDirection === 'backward'
        ? [ta.selectionEnd, ta.selectionStart] : [ta.selectionStart, ta.selectionEnd];
      this.#session.moveCaret(this.#documentId, this.#shared.revision, anchor, head);
    }, CARET_SEND_MS);
  }

  #render() {
    const ta = this.#textarea;
    const frozen = this.#frozen;
    ta.readOnly = Boolean(frozen);
    ta.setAttribute('aria-readonly', frozen ? 'true' : 'false');
    this.element.classList.toggle('is-frozen', Boolean(frozen));
    const notice = frozen ?? this.#refusal;
    this.#notice.hidden = !notice;
    if (notice) {
      replaceChildren(this.#notice, icon(frozen ? 'lock' : 'alert'),
        h('span', {}, frozen ? `Read-only. ${frozen}` : `Your last edit was not saved: ${this.#refusal}`));
    }
    this.#renderStatus();
    this.#renderOverlay();
    this.#renderOthers();
    this.#fit();
  }

  #renderStatus() {
    let text;
    let tone;
    if (this.#frozen) {
      text = ''; tone = 'muted';
    } else if (!this.#session.connected) {
      text = this.#shared.hasPending ? 'Offline: your edits are kept and will be sent when the connection is back.' : 'Offline.';
      tone = 'warn';
    } else if (this.#shared.hasPending) {
      text = 'Saving…'; tone = 'muted';
    } else {
      text = 'All changes saved.'; tone = 'muted';
    }
    this.#status.className = `editor-status tone-text-${tone}`;
    replaceChildren(this.#status,
      h('span', { class: 'revision' }, `Revision ${this.#shared.revision}`),
      text ? h('span', { class: 'status-text' }, text) : null);
  }

  #renderOthers() {
    const people = [...this.#carets.values()];
    this.#others.hidden = people.length === 0;
    replaceChildren(this.#others, people.map((p) => h('li', { class: `coeditor c${colourOf(p.userId)}` },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h('span', {}, `${p.name}, ${describePosition(this.#shared.text, p)}`))));
  }

  #renderOverlay() {
    const text = this.#shared.text === this.#textarea.value ? this.#shared.text : this.#textarea.value;
    const marks = [];
    for (const p of this.#carets.values()) {
      const colour = colourOf(p.userId);
      const from = clamp(Math.min(p.anchor, p.head), text.length);
      const to = clamp(Math.max(p.anchor, p.head), text.length);
      marks.push({ at: to === clamp(p.head, text.length) ? to : from, kind: 'caret', colour, name: p.name });
      if (to > from) marks.push({ from, to, kind: 'selection', colour });
    }
    if (marks.length === 0) {
      this.#overlay.replaceChildren();
      return;
    }
    const cuts = new Set([0, text.length]);
    for (const m of marks) {
      if (m.kind === 'caret') cuts.add(m.at); else { cuts.add(m.from); cuts.add(m.to); }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const nodes = [];
    for (let i = 0; i < points.length; i++) {
      const at = points[i];
      for (const m of marks) {
        if (m.kind === 'caret' && m.at === at) {
          nodes.push(h('span', { class: `remote-caret c${m.colour}` }, h('span', { class: 'remote-caret-label' }, m.name)));
        }
      }
      const next = points[i + 1];
      if (next === undefined || next === at) continue;
      const segment = text.slice(at, next);
      const selection = marks.find((m) => m.kind === 'selection' && m.from <= at && m.to >= next);
      nodes.push(selection ? h('mark', { class: `remote-selection c${selection.colour}` }, segment) : document.createTextNode(segment));
    }
    // A trailing newline needs something after it to take up its line, as in the textarea.
    nodes.push(document.createTextNode('\u200b'));
    replaceChildren(this.#overlay, nodes);
    this.#syncScroll();
    this.#placeLabels();
  }

  /** A name that would stick out past the right edge is drawn to the left of its caret instead. */
  #placeLabels() {
    if (!this.#overlay.isConnected) return;
    const edge = this.#overlay.getBoundingClientRect().right;
    for (const label of this.#overlay.querySelectorAll('.remote-caret-label')) {
      label.classList.remove('flip');
      if (label.getBoundingClientRect().right > edge) label.classList.add('flip');
    }
  }

  #syncScroll() {
    this.#overlay.scrollTop = this.#textarea.scrollTop;
  }

  /** Grows the textarea with its text, so the page scrolls rather than a box inside it. */
  #fit() {
    const ta = this.#textarea;
    if (!ta.isConnected) return;
    ta.style.height = 'auto';
    ta.style.height = `${ta.scrollHeight + 2}px`;
    this.#overlay.style.width = `${ta.clientWidth}px`;
    this.#overlay.style.height = `${ta.clientHeight}px`;
  }
}

function clamp(n, max) {
  return Math.max(0, Math.min(max, n | 0));
}

/** "paragraph 3" or "selecting in paragraphs 2 to 4": where someone is, in words (a paragraph is a line of the text). */
function describePosition(text, { anchor, head }) {
  const paragraphOf = (i) => text.slice(0, clamp(i, text.length)).split('\n').length;
  const from = paragraphOf(Math.min(anchor, head));
  const to = paragraphOf(Math.max(anchor, head));
  if (anchor === head) return `paragraph ${from}`;
  return from === to ? `selecting in paragraph ${from}` : `selecting in paragraphs ${from} to ${to}`;
}
