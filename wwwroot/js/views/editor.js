// A co-edited text in a CodeMirror 6 editor. What the user does arrives as editor transactions and leaves
// as OT operations (cm-text.js); others' operations enter as transactions kept out of the undo history, so
// Ctrl+Z takes back only the user's own edits and a composition in progress (dead keys, an IME) is left alone.
// Others' carets and selections are decorations with each person's name, and are listed below the editor in
// words; drafts carry the conclusions' paragraph numbers in the margin; every text has its history panel.

import {
  Compartment, EditorState, EditorView, history, historyKeymap, insertNewline, keymap, redo, standardKeymap,
} from '../../lib/codemirror/codemirror.js';
import {
  historyCarried, isLocalEdit, operationFromChanges, pastedText, remoteEdit, remoteTransaction, sharedTextLines, undoHistoryField,
} from '../cm-text.js';
import { authorAt, authorRuns, authorship, setAuthorship } from '../editor-authorship.js';
import { findableText } from '../editor-find.js';
import { keepCarets, remoteCaretExtension, remoteCarets, setCaret } from '../editor-carets.js';
import { describeProposal, proposalMarks, proposalsAt, proposalUnderCursor, setProposals } from '../editor-proposals.js';
import {
  describePosition, goToParagraph, paragraphGutter, paragraphNumbers, paragraphRange, setNumbering,
} from '../editor-paragraphs.js';
import { h, replaceChildren, uid } from '../dom.js';
import { icon } from '../icons.js';
import { MAX_INSERTED_UNITS } from '../ot.js';
import { operationFromEdit } from '../text-diff.js';
import { HistoryPanel } from './history-panel.js';

const COLOURS = 8;
/** At most one caret position sent every this many milliseconds. */
export const CARET_SEND_MS = 100;

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

/** Plain-text keys: Enter is a line break (no indentation logic), Tab leaves the editor (keyboard users need a way out). */
const proseKeymap = [
  ...historyKeymap,
  // Ctrl+Shift+Z redoes on every platform, not only where CodeMirror binds it by default.
  { key: 'Mod-Shift-z', run: redo, preventDefault: true },
  { key: 'Enter', run: insertNewline },
  ...standardKeymap.filter((binding) => binding.key !== 'Enter'),
];

export class CoEditor {
  #session;
  #documentId;
  #shared;
  #view;
  #status;
  #notice;
  #others;
  #where;
  #legend;
  #undoHistory = new Compartment();
  #readOnly = new Compartment();
  #attributes = new Compartment();
  #caretTimer = null;
  /** Others' carets stamped with a revision this page has not reached yet, by connection: shown once it has. */
  #waitingCarets = new Map();
  #caretWanted = false;
  #frozen = null;
  #refusal = null;
  /** The undo history and the text just before the first edit the server has not confirmed: where a refusal takes undo back to. */
  #beforeUnconfirmed = null;
  /**
   * The same, just before the first edit made while another was on its way (the OT client's buffer): once that one is
   * confirmed, the buffered edits are the first unconfirmed ones, and a refusal of them must not take undo back past it.
   */
  #beforeBuffered = null;
  /** Set by the clipboard filter when a paste held only characters no text may hold: the paste that follows changes nothing. */
  #pastedOnlyRefused = false;
  /** Set by the clipboard filter: how many characters no text may hold it left out of a paste that still pastes words. */
  #pastedLeftOut = 0;
  /** What the editor says about the user's last paste (the characters left out of it): until their next edit. */
  #pasteNote = null;
  #canEdit;
  /** Why this person may never edit the text (an observer, a guest): said whenever no passing reason (a lock) is. */
  #cannotEdit = null;
  #numbered;
  #historyHeading;
  #history = null;
  #historyButton = null;
  #authorsButton = null;
  /** Counts the presses of "Who wrote what" that read the history: only the last one's reading is shown. */
  #authorsAsked = 0;
  #authorsReading = false;
  /** Says what became of "Who wrote what" (reading, or why it could not), beside the button: the history panel may be closed. */
  #authorsSaid = null;
  #goTo = null;
  #othersShown = '';
  #legendShown = '';
  #statusParts = null;
  #whereShown = '';
  #ids;

  /**
   * @param {import('../room-session.js').RoomSession} session
   * @param {string} documentId
   * @param {{label: string, rows?: number, canEdit: boolean, cannotEditReason?: string, className?: string,
   *          numbered?: boolean, historyHeading?: string}} options numbered: paragraph numbers in the margin and "Go to
   *          paragraph" (drafts); historyHeading: the history panel's heading element, one level below the text's own
   */
  constructor(session, documentId, { label, canEdit, cannotEditReason, className = '', numbered = false, historyHeading = 'h4' }) {
    this.#session = session;
    this.#documentId = documentId;
    this.#shared = session.state.text(documentId);
    this.#canEdit = canEdit;
    this.#numbered = numbered;
    this.#historyHeading = historyHeading;
    const id = uid('editor');
    this.#ids = { id, status: `${id}-status`, notice: `${id}-notice`, history: `${id}-history`, where: `${id}-where` };
    if (!canEdit) this.#frozen = this.#cannotEdit = cannotEditReason ?? 'You can read this text but not edit it.';

    this.#notice = h('p', { id: this.#ids.notice, class: 'editor-notice', hidden: true });
    this.#status = h('p', { id: this.#ids.status, class: 'editor-status' });
    this.#where = h('span', { id: this.#ids.where, class: 'editor-where' });
    this.#others = h('ul', { class: 'coeditors', 'aria-label': 'Others in this text', hidden: true });
    this.#legend = h('ul', { class: 'author-legend', 'aria-label': 'Who wrote the text', hidden: true });

    this.#view = new EditorView({
      state: EditorState.create({
        doc: this.#shared.text,
        extensions: [
          sharedTextLines,
          this.#undoHistory.of(history()),
          keymap.of(proseKeymap),
          EditorView.lineWrapping,
          // Pasted text keeps its words; its line ends become '\n', and what no text may hold is left out (cm-text.js).
          EditorView.clipboardInputFilter.of((text) => {
            const { kept, leftOut } = pastedText(text);
            this.#pastedOnlyRefused = text.length > 0 && kept.length === 0;
            this.#pastedLeftOut = kept.length > 0 ? leftOut : 0;
            return kept;
          }),
          EditorState.transactionFilter.of((tr) => this.#refuseEmptyPaste(tr)),
          EditorState.transactionFilter.of((tr) => this.#refuseIfTooLong(tr)),
          EditorState.transactionFilter.of((tr) => this.#notePartialPaste(tr)),
          this.#readOnly.of(this.#readOnlyExtensions()),
          this.#attributes.of(this.#contentAttributes(label)),
          remoteCaretExtension,
          proposalMarks,
          proposalUnderCursor,
          numbered ? paragraphGutter : [],
          numbered ? [] : paragraphNumbers,
          authorship,
          findableText,
          EditorView.updateListener.of((update) => this.#onUpdate(update)),
          EditorView.domEventHandlers({
            focus: () => { this.#queueCaret(); this.#renderWhere(true); },
            blur: () => { this.#renderWhere(true); },
          }),
        ],
      }),
    });
    this.#view.dom.dataset.documentId = documentId;

    const tools = this.#tools();
    this.element = h('div', { class: ['editor', className], dataset: { documentId } },
      this.#notice,
      tools,
      this.#legend,
      h('div', { class: 'editor-surface' }, this.#view.dom),
      h('div', { class: 'editor-footer' }, this.#others, h('div', { class: 'editor-facts' }, this.#where, this.#status)));
    this.#render();
  }

  get documentId() { return this.#documentId; }

  /** The CodeMirror view (tests and the history panel read its state). */
  get view() { return this.#view; }

  /** Read-only with the reason shown (locked, agreed), or editable again (reason null). */
  setFrozen(reason) {
    // A lock passes; an observer's or a guest's reason does not, and is said again once the lock has gone.
    const next = this.#canEdit ? reason : (reason ?? this.#cannotEdit);
    if (next === this.#frozen) return;
    this.#frozen = next;
    if (!next) this.#refusal = null;
    this.#view.dispatch({ effects: this.#readOnly.reconfigure(this.#readOnlyExtensions()) });
    this.#render();
  }

  /** Where this draft's paragraph numbering starts, as the conclusions will print it (see paragraphs.js). */
  setNumbering({ offset, exact }) {
    const current = this.#view.state.field(paragraphNumbers);
    if (current.offset === offset && current.exact === exact) return;
    this.#view.dispatch({ effects: setNumbering.of({ offset, exact }) });
    this.#renderWhere(true);
  }

  /** A text event for this document was applied to the shared text. */
  onTextChange(result) {
    if (result.kind === 'remote') {
      this.#view.dispatch(remoteTransaction(result.operation, { authorId: result.authorId ?? null, author: result.author ?? null }));
      // The editor must hold exactly the shared text; should anything have slipped, take the shared text whole.
      if (this.#view.state.doc.length !== this.#shared.text.length) this.resync();
    } else if (result.kind === 'ack') {
      // The edit on its way is confirmed: the buffered ones, if any, are now the first unconfirmed ones.
      this.#beforeUnconfirmed = this.#shared.hasPending ? this.#beforeBuffered : null;
      this.#beforeBuffered = null;
      if (this.#caretWanted) this.#queueCaret();
    }
    if (this.#waitingCarets.size > 0) this.#showWaitingCarets();
    this.#history?.onTextChange();
    this.#renderStatus();
  }

  /** The whole text was replaced (snapshot reload, refused edit, status change): show it, keeping the caret near. */
  resync() {
    const shown = this.#view.state.doc.toString();
    const op = operationFromEdit(shown, this.#shared.text);
    if (op) this.#view.dispatch(remoteTransaction(op, null));
    this.#render();
  }

  /** The server refused our edit: the text is back to what everyone sees, and we say why. */
  refused(message) {
    this.#refusal = message;
    // The paste the note was about was among the edits refused: it is not in the text (nor said again once a lock goes).
    this.#pasteNote = null;
    const before = this.#beforeUnconfirmed;
    this.#beforeUnconfirmed = null;
    this.#beforeBuffered = null;
    this.resync();
    // Undo must forget the edits the server never took (replayed, a refused deletion would come back twice), and keep the
    // user's confirmed ones: the history as it stood before the first refused edit, carried to the text now.
    const carried = before ? historyCarried(before, this.#view.state.doc) : null;
    if (carried) {
      this.#view.dispatch({ effects: this.#undoHistory.reconfigure(carried) });
      return;
    }
    this.#view.dispatch({ effects: this.#undoHistory.reconfigure([]) });
    this.#view.dispatch({ effects: this.#undoHistory.reconfigure(history()) });
  }

  /** The open proposals over this text, at their places in the text as this page shows it (editor-proposals.js). */
  showProposals(marks) {
    this.#view.dispatch({ effects: setProposals.of(marks) });
  }

  /** The user's selection in the text as this page shows it, and whether that is the server's text (nothing unconfirmed). */
  selection() {
    const { from, to } = this.#view.state.selection.main;
    return { from, to, text: this.#view.state.sliceDoc(from, to), revision: this.#shared.revision, confirmed: !this.#shared.hasPending };
  }

  /**
   * Another connection's caret in this text. It is stamped with the revision that person's page had: moved through the
   * edits this page has had since (others typing meanwhile), or, stamped ahead of this page, held until the edit that
   * brings this page there arrives. Without that, a caret would sit off by the others' edits until its owner moved.
   */
  showCaret(caret) {
    const shared = this.#shared;
    if (caret.revision > shared.revision) {
      this.#waitingCarets.set(caret.connectionId, caret);
      return;
    }
    this.#waitingCarets.delete(caret.connectionId);
    // Further back than the edits the text keeps: shown where it says, the best there is until its owner moves.
    const anchor = shared.positionFrom(caret.revision, caret.anchor) ?? caret.anchor;
    const head = shared.positionFrom(caret.revision, caret.head) ?? caret.head;
    this.#view.dispatch({
      effects: setCaret.of({ id: caret.connectionId, userId: caret.userId, name: caret.name, colour: colourOf(caret.userId), anchor, head }),
    });
  }

  #showWaitingCarets() {
    for (const caret of [...this.#waitingCarets.values()]) {
      if (caret.revision <= this.#shared.revision) this.showCaret(caret);
    }
  }

  /** Keeps only the carets that pass `keep` (a caret: its connection id, user id and name). */
  keepCarets(keep) {
    for (const [id, caret] of this.#waitingCarets) {
      if (!keep({ id, userId: caret.userId, name: caret.name })) this.#waitingCarets.delete(id);
    }
    const carets = this.#view.state.field(remoteCarets);
    if ([...carets.values()].every(keep)) return;
    this.#view.dispatch({ effects: keepCarets.of(keep) });
  }

  /** Colours the text by author (runs from text-history.js, at this text's revision), or stops (null). */
  showAuthorship(runs) {
    const you = this.#session.state.you;
    this.#view.dispatch({
      effects: setAuthorship.of(runs === null ? null : { runs, you: { userId: you.userId, name: you.name ?? 'You' }, colourOf }),
    });
    this.#authorsButton?.setAttribute('aria-pressed', runs === null ? 'false' : 'true');
    this.#renderLegend(runs);
    this.#renderWhere(true);
  }

  /** Each author of the text with a swatch, the name and their share: the colouring's key, in words. */
  #renderLegend(runs) {
    this.#legend.hidden = runs === null;
    if (runs === null) {
      this.#legendShown = '';
      replaceChildren(this.#legend);
      return;
    }
    const total = runs.reduce((sum, run) => sum + run.to - run.from, 0) || 1;
    const shares = new Map();
    for (const run of runs) {
      const key = run.authorId ?? '';
      const entry = shares.get(key) ?? { authorId: run.authorId, author: run.author, length: 0 };
      entry.length += run.to - run.from;
      shares.set(key, entry);
    }
    const people = [...shares.values()].sort((a, b) => b.length - a.length);
    const share = (p) => `${Math.max(p.length > 0 ? 1 : 0, Math.round((100 * p.length) / total))}%`;
    // Followed on every change while shown: drawn again only when what it says changes.
    const shown = people.map((p) => `${p.authorId}:${p.author}:${share(p)}`).join('\n');
    if (shown === this.#legendShown && this.#legend.childElementCount > 0) return;
    this.#legendShown = shown;
    replaceChildren(this.#legend, people.map((p) => {
      return p.authorId
        ? h('li', { class: `coeditor c${colourOf(p.authorId)}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), h('span', {}, `${p.author}: ${share(p)}`))
        : h('li', { class: 'coeditor original' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), h('span', {}, `Text as it stood before the first edit: ${share(p)}`));
    }));
  }

  /** Moves the caret to a paragraph by its number in the margin. */
  goToParagraph(number) {
    return goToParagraph(this.#view, number);
  }

  dispose() {
    clearTimeout(this.#caretTimer);
    this.#history?.dispose();
    this.#view.destroy();
  }

  #readOnlyExtensions() {
    return this.#frozen ? [EditorState.readOnly.of(true)] : [];
  }

  #contentAttributes(label) {
    const describedBy = [this.#ids.notice, this.#ids.where, this.#ids.status].join(' ');
    return EditorView.contentAttributes.of(({ state }) => ({
      'aria-label': label,
      'aria-describedby': describedBy,
      'aria-multiline': 'true',
      // Spell check and autocorrect are for prose one can change; a frozen text is left as it stands.
      spellcheck: state.readOnly ? 'false' : 'true',
      autocorrect: state.readOnly ? 'off' : 'on',
      autocapitalize: 'sentences',
      lang: 'en',
      translate: 'no',
    }));
  }

  #tools() {
    const buttons = [];
    if (this.#numbered) {
      const input = h('input', {
        type: 'number', min: '1', inputmode: 'numeric', class: 'goto-input', id: `${this.#ids.id}-goto`,
        'aria-describedby': `${this.#ids.id}-goto-error`,
      });
      const error = h('span', { id: `${this.#ids.id}-goto-error`, class: 'goto-error', role: 'status' });
      this.#goTo = { input, error };
      buttons.push(h('form', {
        class: 'goto',
        on: {
          submit: (event) => {
            event.preventDefault();
            const n = Number(input.value);
            const range = paragraphRange(this.#view.state);
            if (!Number.isInteger(n) || !this.goToParagraph(n)) {
              error.textContent = range
                ? `This text has paragraphs ${range.first} to ${range.last}.`
                : 'This text has no paragraphs yet.';
            } else {
              error.textContent = '';
            }
          },
        },
      },
      h('label', { for: input.id }, 'Go to paragraph'),
      input,
      h('button', { type: 'submit', class: 'button small' }, 'Go'),
      error));
    }
    this.#authorsButton = h('button', {
      type: 'button', class: 'button small quiet', 'aria-pressed': 'false',
      on: { click: () => this.#toggleAuthorship() },
    }, icon('group'), 'Who wrote what');
    this.#historyButton = h('button', {
      type: 'button', class: 'button small quiet', 'aria-expanded': 'false', 'aria-controls': this.#ids.history,
      on: { click: () => this.#toggleHistory() },
    }, icon('refresh'), 'History');
    this.#authorsSaid = h('span', { class: 'authors-said', role: 'status' });
    buttons.push(h('div', { class: 'editor-tool-buttons' }, this.#authorsSaid, this.#authorsButton, this.#historyButton));
    return h('div', { class: 'editor-tools' }, buttons);
  }

  #ensureHistory() {
    if (!this.#history) {
      this.#history = new HistoryPanel(this.#session, this.#documentId, { id: this.#ids.history, heading: this.#historyHeading });
      this.element.append(this.#history.element);
    }
    return this.#history;
  }

  #toggleHistory() {
    const panel = this.#ensureHistory();
    const open = panel.toggle();
    this.#historyButton.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  async #toggleAuthorship() {
    const say = (message) => { if (this.#authorsSaid.textContent !== message) this.#authorsSaid.textContent = message; };
    // Pressed again while the history is read (a long one takes a while), the button is turned off: the reading, when it
    // comes, must not colour the text and show the button pressed after all.
    if (this.#authorsReading) {
      this.#authorsAsked += 1;
      this.#authorsReading = false;
      this.#authorsButton.removeAttribute('aria-busy');
      say('');
      return;
    }
    if (this.#view.state.field(authorship) !== null) {
      this.showAuthorship(null);
      say('');
      return;
    }
    const asked = ++this.#authorsAsked;
    const wanted = () => asked === this.#authorsAsked;
    this.#authorsReading = true;
    this.#authorsButton.setAttribute('aria-busy', 'true');
    try {
      const runs = await this.#ensureHistory().authorshipNow(this.#shared, (message) => { if (wanted()) say(message); });
      if (runs && wanted()) this.showAuthorship(runs);
    } finally {
      if (wanted()) {
        this.#authorsReading = false;
        this.#authorsButton.removeAttribute('aria-busy');
      }
    }
  }

  /**
   * A paste (or a drop) that held only characters no text may hold has nothing left to insert: CodeMirror would still
   * put that nothing in place of the selected words. It changes nothing, and the person is told why.
   */
  #refuseEmptyPaste(tr) {
    if (!this.#pastedOnlyRefused || !(tr.isUserEvent('input.paste') || tr.isUserEvent('input.drop'))) return tr;
    this.#pastedOnlyRefused = false;
    return this.#refuse('what you pasted held only characters no text may hold (control characters), so nothing was pasted.');
  }

  /**
   * A paste (or a drop) that held words and characters no text may hold is pasted without those: the text is not the
   * one copied, so the person is told, in the notice and aloud, how many characters were left out.
   */
  #notePartialPaste(tr) {
    const leftOut = this.#pastedLeftOut;
    if (leftOut === 0 || !tr.docChanged || !(tr.isUserEvent('input.paste') || tr.isUserEvent('input.drop'))) return tr;
    this.#pastedLeftOut = 0;
    const message = `Pasted without ${leftOut === 1 ? 'one character' : `${leftOut.toLocaleString('en-GB')} characters`} no text may hold (control characters or noncharacters).`;
    queueMicrotask(() => {
      this.#pasteNote = message;
      this.#render();
    });
    return [tr, { effects: EditorView.announce.of(message) }];
  }

  /** Says, in the notice and aloud, why the edit just made does not count; the transaction becomes that message alone. */
  #refuse(message) {
    queueMicrotask(() => {
      this.#refusal = message;
      // A paste refused here was first noted by #notePartialPaste (filters run last to first): it was not pasted.
      this.#pasteNote = null;
      this.#render();
    });
    return { effects: EditorView.announce.of(`Your last edit was not saved: ${message}`) };
  }

  /**
   * An edit that inserts more than one operation may (a whole report pasted) never enters the text: the server would
   * refuse it, and one past the size of a message it reads closed the connection instead, which sent it again on every
   * reconnect. Said in the notice and read out; the words are still on the clipboard.
   */
  #refuseIfTooLong(tr) {
    if (!tr.docChanged || tr.annotation(remoteEdit) !== undefined) return tr;
    let inserted = 0;
    tr.changes.iterChanges((_fromA, _toA, _fromB, _toB, text) => { inserted += text.length; });
    // While an edit is unconfirmed the next ones are merged into one operation, sent after it (offline, all of them):
    // what waits there counts, or a few large pastes made offline would make one operation past the limit.
    const waiting = this.#shared.pendingOperations[1]?.insertedLength() ?? 0;
    if (inserted + waiting <= MAX_INSERTED_UNITS) return tr;
    const count = (n) => n.toLocaleString('en-GB');
    const message = waiting === 0
      ? `it holds ${count(inserted)} characters, more than one edit may add (${count(MAX_INSERTED_UNITS)}): paste it in parts.`
      : `with the ${count(waiting)} characters still waiting to be saved, it would add more than one edit may (${count(MAX_INSERTED_UNITS)}): paste it once those are saved.`;
    return this.#refuse(message);
  }

  #onUpdate(update) {
    for (const tr of update.transactions) {
      if (!isLocalEdit(tr)) continue;
      if (this.#refusal !== null || this.#pasteNote !== null) {
        // "Your last edit was not saved" is about an edit before this one: it goes (what was refused is kept apart); so
        // does what was said of the last paste.
        this.#refusal = null;
        this.#pasteNote = null;
        this.#render();
      }
      // The first edit after nothing pending, or after nothing buffered, is where a refusal of it takes undo back to.
      if (undoHistoryField && !this.#shared.hasBuffered) {
        const before = { history: tr.startState.field(undoHistoryField, false), doc: tr.startState.doc };
        if (this.#shared.hasPending) this.#beforeBuffered = before;
        else this.#beforeUnconfirmed = before;
      }
      this.#session.edit(this.#documentId, operationFromChanges(tr.changes));
    }
    if (update.docChanged) this.#renderStatus();
    // The key follows the colouring: someone who starts writing while it is on is named there too, and the shares move.
    if (update.docChanged && update.state.field(authorship) !== null && update.startState.field(authorship) !== null) {
      this.#renderLegend(authorRuns(update.state));
    }
    if ((update.selectionSet || update.docChanged) && update.view.hasFocus) this.#queueCaret();
    const carets = update.startState.field(remoteCarets) !== update.state.field(remoteCarets);
    const numbers = update.startState.field(paragraphNumbers) !== update.state.field(paragraphNumbers);
    if (carets || numbers) this.#renderOthers();
    const proposals = update.startState.field(proposalMarks) !== update.state.field(proposalMarks);
    if (update.selectionSet || numbers || proposals || update.docChanged) this.#renderWhere();
  }

  #queueCaret() {
    this.#caretWanted = true;
    if (this.#caretTimer !== null) return;
    this.#caretTimer = setTimeout(() => {
      this.#caretTimer = null;
      // Positions are only meaningful to others once our edits are confirmed: wait for the ack.
      if (this.#shared.hasPending || !this.#view.hasFocus) return;
      this.#caretWanted = false;
      const { anchor, head } = this.#view.state.selection.main;
      this.#session.moveCaret(this.#documentId, this.#shared.revision, anchor, head);
    }, CARET_SEND_MS);
  }

  #render() {
    const frozen = this.#frozen;
    this.element.classList.toggle('is-frozen', Boolean(frozen));
    const notice = frozen ?? this.#refusal;
    const note = notice ? null : this.#pasteNote;
    this.#notice.hidden = !notice && !note;
    this.#notice.classList.toggle('is-note', Boolean(note));
    if (note) {
      replaceChildren(this.#notice, icon('info'), h('span', {}, note));
    } else if (notice) {
      // A lock that refused typing in flight says both: why the text is read-only, and that the last edit did not count.
      const refused = this.#refusal ? `Your last edit was not saved: ${this.#refusal}` : '';
      replaceChildren(this.#notice, icon(frozen ? 'lock' : 'alert'),
        h('span', {}, frozen ? `Read-only. ${frozen}${refused && !frozen.includes(this.#refusal) ? ` ${refused}` : ''}` : refused));
    }
    this.#renderStatus();
    this.#renderOthers();
    this.#renderWhere(true);
  }

  #renderStatus() {
    let text;
    let tone;
    if (this.#frozen) {
      text = ''; tone = 'muted';
    } else if (!this.#session.connected) {
      text = this.#shared.hasPending ? 'Not saved yet — offline, will send when back.' : 'Offline.';
      tone = 'warn';
    } else if (this.#shared.hasPending) {
      text = 'Saving…'; tone = 'muted';
    } else {
      text = 'All changes saved.'; tone = 'muted';
    }
    // Called on every keystroke and acknowledgement: change the words in place rather than rebuild the line.
    const className = `editor-status tone-text-${tone}`;
    if (this.#status.className !== className) this.#status.className = className;
    if (!this.#statusParts) {
      this.#statusParts = { revision: h('span', { class: 'revision' }), text: h('span', { class: 'status-text' }) };
      replaceChildren(this.#status, this.#statusParts.revision, this.#statusParts.text);
    }
    // "Revision 149" is the server's word; a delegate counts edits.
    const edits = this.#shared.revision;
    const revision = edits === 0 ? 'No edits yet' : `${edits.toLocaleString('en-GB')} edit${edits === 1 ? '' : 's'}`;
    if (this.#statusParts.revision.textContent !== revision) this.#statusParts.revision.textContent = revision;
    if (this.#statusParts.text.textContent !== text) this.#statusParts.text.textContent = text;
    if (this.#statusParts.text.hidden !== !text) this.#statusParts.text.hidden = !text;
  }

  /** Where the user's caret is, in words, for everyone and above all for screen readers (the margin is not read out). */
  #renderWhere(force = false) {
    const state = this.#view.state;
    let text = '';
    if (this.#numbered) {
      const { exact } = state.field(paragraphNumbers);
      const range = paragraphRange(state);
      const head = state.selection.main.head;
      const parts = [];
      if (range) parts.push(range.first === range.last ? `Paragraph ${range.first}` : `Paragraphs ${range.first} to ${range.last}`);
      if (this.#view.hasFocus) {
        parts.push(`cursor ${describePosition(state, head)}`);
        const by = authorAt(state, head);
        if (by) parts.push(`written by ${by}`);
        for (const proposal of proposalsAt(state, head)) parts.push(`in ${describeProposal(state, proposal, 'proposal')}`);
      }
      if (!exact) parts.push('numbered within this item (items you cannot see come before it)');
      text = parts.join(' · ');
    }
    if (!force && text === this.#whereShown) return;
    this.#whereShown = text;
    this.#where.textContent = text;
    // Shown on one line, cut with an ellipsis when narrow: the whole of it on hover.
    this.#where.title = text;
  }

  #renderOthers() {
    const state = this.#view.state;
    const people = [...state.field(remoteCarets).values()];
    const lines = people.map((p) => `${p.name}, ${this.#describeCaret(state, p)}`);
    const shown = people.map((p, i) => `${p.colour}:${lines[i]}`).join('\n');
    if (shown === this.#othersShown) return;
    this.#othersShown = shown;
    this.#others.hidden = people.length === 0;
    replaceChildren(this.#others, people.map((p, i) => h('li', { class: `coeditor c${p.colour}` },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h('span', {}, lines[i]))));
  }

  /** "paragraph 3" or "selecting in paragraphs 2 to 4": where someone is, in words. */
  #describeCaret(state, { anchor, head }) {
    const from = describePosition(state, Math.min(anchor, head));
    const to = describePosition(state, Math.max(anchor, head));
    if (anchor === head) return from;
    if (from === to) return `selecting in ${from}`;
    const a = from.match(/^paragraph (\d+)$/);
    const b = to.match(/^paragraph (\d+)$/);
    return a && b ? `selecting in paragraphs ${a[1]} to ${b[1]}` : `selecting from ${from} to ${to}`;
  }
}
