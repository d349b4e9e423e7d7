// Beside an item's draft: who holds the pen (the chair switches it), "Propose a change" on the words selected in the
// draft, and the list of proposals: each with its delegation, the change in words, the reason, who backs and who
// objects (and for the chair whether the backers alone would carry the item's rule), and the buttons the caller's
// role allows. The server checks every action again; its refusal is shown here in its own words.

import { ApiError } from '../api.js';
import { h, markInvalid, replaceChildren, uid } from '../dom.js';
import { focusIsNowhere, HeldWhileBusy } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { delegationName, names } from '../labels.js';
import { describeChange, localSpan, ProposalApi, proposalActions, proposalName, tabledNews } from '../proposals.js';
import { draftFrozenReason } from '../statement.js';

const STATUS_WORDS = Object.freeze({ open: 'Open', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn', lapsed: 'Lapsed' });

export class ProposalsPanel {
  #session;
  #itemId;
  #editor;
  #mode;
  #modeState;
  #modeShown = '';
  #penSwitch = null;
  #form;
  #list;
  #message;
  #shown = '';
  #deletedShown = '';
  #ids;
  #busy = false;
  /** The focus key of the control whose action runs (the list may be drawn again before it is enabled again). */
  #acting = null;
  #held = new HeldWhileBusy();
  /** The reason forms open, by proposal and action ("12:Reject"). */
  #reasons = new Map();

  /**
   * @param {import('../room-session.js').RoomSession} session
   * @param {number} itemId
   * @param {import('./editor.js').CoEditor} editor the draft's editor: its selection, and where the proposals show
   */
  constructor(session, itemId, editor) {
    this.#session = session;
    this.#itemId = itemId;
    this.#editor = editor;
    const id = uid('proposals');
    this.#ids = { title: `${id}-title`, replacement: `${id}-replacement`, reason: `${id}-reason`, what: `${id}-what` };
    this.#modeState = h('p', { class: 'mode-state' });
    this.#mode = h('div', { class: 'drafting-mode' }, this.#modeState);
    this.#form = h('div', { class: 'propose-area' });
    this.#message = h('p', { id: `${id}-message`, class: 'form-message', role: 'status' });
    this.#list = h('ol', { class: 'proposal-list', 'aria-labelledby': this.#ids.title });
    this.element = h('section', { class: 'proposals', 'aria-labelledby': this.#ids.title },
      h('h3', { id: this.#ids.title }, 'Proposals'),
      this.#mode,
      this.#form,
      this.#message,
      this.#list);
    this.#renderForm(null);
    this.update();
  }

  /** The proposals, the item or who we are changed: redraw the list (only when it changed) and the marks in the draft. */
  update() {
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    if (!item) return;
    this.#renderMode(item);
    const proposals = state.proposals.forItem(this.#itemId);
    const frozen = state.frozenReason(this.#itemId);
    const wordsFrozen = draftFrozenReason(state, this.#itemId);
    // Nothing can be tabled on frozen texts (the server refuses): the editor's notice says why.
    const propose = this.#form.querySelector('.propose-button');
    if (propose) {
      propose.disabled = Boolean(frozen);
      propose.title = frozen ?? '';
    }
    const key = JSON.stringify([proposals, frozen, wordsFrozen, item.rule]);
    if (key !== this.#shown) {
      this.#shown = key;
      this.#deletedShown = this.#deletedKey(state);
      const active = document.activeElement;
      // While an action runs, the button pressed is disabled and the focus is nowhere: it goes to that button's successor.
      const focused = active?.dataset?.focusKey ?? (focusIsNowhere() ? this.#acting : null);
      const caret = active instanceof HTMLInputElement ? [active.selectionStart, active.selectionEnd] : null;
      const kept = new Set();
      replaceChildren(this.#list, proposals.length === 0
        // Only those who draft have the button to name: an observer or a guest is told only that there are none.
        ? h('li', { class: 'muted small empty' }, state.you.canEditDrafts ? 'No proposals yet. Select words in the draft and use “Propose a change”.' : 'No proposals yet.')
        : proposals.map((p) => this.#renderProposal(p, frozen, wordsFrozen, kept)));
      // A reason form whose proposal closed, or whose button is no longer offered, is let go.
      for (const open of this.#reasons.keys()) if (!kept.has(open)) this.#reasons.delete(open);
      // A control that went with the change (the proposal was accepted or rejected) leaves the focus on its proposal.
      const again = focused ? this.#list.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)
        ?? this.#list.querySelector(`[data-focus-key="${CSS.escape(focused.split(':')[0])}"]`) : null;
      // The room's event can come before the server's answer: what it draws waits for that answer too.
      if (this.#busy) this.#held.hold(this.#list, again);
      again?.focus();
      if (caret && again instanceof HTMLInputElement) again.setSelectionRange(caret[0], caret[1]);
    }
    this.refreshMarks();
  }

  /**
   * The draft moved (or a proposal did): put each open proposal on its words in the editor, and say beside it when its
   * words no longer read as when it was tabled (someone typed inside them): accepting replaces the words as they now
   * stand, so whoever accepts must see those, not only the words the list quotes.
   */
  refreshMarks() {
    const state = this.#session.state;
    const shared = state.texts.get(this.#editor.documentId);
    if (!shared) return;
    // The list is drawn on proposal events; a proposal whose words someone has just deleted must say so at once, and no
    // longer offer an acceptance the server refuses.
    if (this.#deletedKey(state) !== this.#deletedShown) {
      this.update();
      return;
    }
    const marks = [];
    for (const p of state.proposals.forItem(this.#itemId)) {
      if (p.status !== 'open') continue;
      const span = localSpan(p, shared);
      if (span) marks.push({ id: p.id, number: p.number, proposer: p.proposer, from: span.from, to: span.to, replacement: p.replacement, deleted: span.deleted });
      const note = this.#list.querySelector(`[data-proposal-id="${p.id}"] .proposal-moved`);
      if (!note || !span) continue;
      const now = span.deleted ? p.original : shared.text.slice(span.from, span.to);
      note.hidden = now === p.original;
      note.lastElementChild.textContent = now === p.original ? ''
        : now === '' ? 'Its words were changed since it was tabled: nothing stands there now.'
          : `Its words were changed since it was tabled: they now read “${now}”, which accepting replaces.`;
    }
    this.#editor.showProposals(marks);
  }

  /**
   * Who holds the pen, and the chair's switch. The switch is one button for the panel's life, changed in place: drawn
   * anew, it took the keyboard focus with it each time the chair pressed it (the mode changed, so the panel redrew).
   * Its words say what pressing it does, so it is not a pressed/unpressed toggle: "Open the draft to co-editing,
   * pressed" told a screen reader the opposite of the mode.
   */
  /** Which open proposals have lost their words, as the list last showed it. */
  #deletedKey(state) {
    return state.proposals.forItem(this.#itemId).filter((p) => p.status === 'open' && p.span.deleted).map((p) => p.id).join(',');
  }

  #renderMode(item) {
    const you = this.#session.state.you;
    const pen = item.draftingMode === 'presidencyPen';
    const words = pen
      ? 'The Presidency holds the pen: the chair and the secretariat edit the draft; delegations table proposals.'
      : you.canEditDrafts ? 'Open drafting: every drafter co-edits; anyone may also table a proposal.'
        // An observer or a guest reads the draft: it tables nothing, and is not told it may.
        : 'Open drafting: the delegations co-edit the draft and table proposals.';
    const key = JSON.stringify([pen, words]);
    if (key !== this.#modeShown) {
      this.#modeShown = key;
      replaceChildren(this.#modeState, icon(pen ? 'lock' : 'pencil'), h('span', {}, words));
    }
    if (!you.canManageAgenda) {
      this.#penSwitch?.remove();
      return;
    }
    // Who holds the pen does not change on a locked item or in a closed meeting (the server refuses).
    const state = this.#session.state;
    const fixed = item.lock ? 'Unlock the item to choose who holds the pen.'
      : state.closed ? 'The meeting is closed: reopen it to choose who holds the pen.' : null;
    this.#penSwitch ??= h('button', {
      type: 'button', class: 'button small drafting-mode-switch',
      on: {
        click: () => {
          const now = this.#session.state.items.get(this.#itemId)?.draftingMode === 'presidencyPen';
          this.#act(() => ProposalApi.setDraftingMode(this.#session.meetingId, this.#itemId, now ? 'open' : 'presidencyPen'));
        },
      },
    });
    this.#penSwitch.textContent = pen ? 'Open the draft to co-editing' : 'Hold the pen (Presidency)';
    if (!this.#busy) this.#penSwitch.disabled = Boolean(fixed);
    this.#penSwitch.title = fixed ?? '';
    if (!this.#penSwitch.isConnected) this.#mode.append(this.#penSwitch);
  }

  /** The "Propose a change" button, or (once pressed) the form for the words selected. */
  #renderForm(selection) {
    const you = this.#session.state.you;
    if (!you.canEditDrafts) {
      replaceChildren(this.#form);
      return;
    }
    if (!selection) {
      // The form closing (tabled, or cancelled) took the keyboard focus with it: it goes back to "Propose a change".
      const closing = this.#form.querySelector('form') !== null && (this.#form.contains(document.activeElement) || focusIsNowhere());
      const frozen = this.#session.state.frozenReason(this.#itemId);
      const propose = h('button', {
        type: 'button', class: 'button small propose-button', disabled: Boolean(frozen), title: frozen ?? '',
        on: { click: () => this.#startProposal() },
      }, icon('pencil'), 'Propose a change');
      replaceChildren(this.#form, propose);
      if (closing) propose.focus();
      return;
    }
    // The line above the field says what the proposal does ("Insert at the cursor:", "Replace … by:"): it describes it.
    const replacement = h('textarea', {
      id: this.#ids.replacement, rows: 2, maxlength: 10000, class: 'propose-replacement', 'aria-describedby': this.#ids.what, dataset: { describedBy: this.#ids.what },
    });
    replacement.value = selection.text;
    const reason = h('input', { id: this.#ids.reason, type: 'text', maxlength: 2000, class: 'propose-reason', placeholder: 'Why (optional)' });
    const what = selection.from === selection.to
      ? 'Insert at the cursor:'
      : h('span', {}, 'Replace ', h('del', {}, selection.text), ' by:');
    // One id for every press of this form's button: pressed again after an answer that never came (the link failing),
    // the server answers the proposal the first press tabled instead of tabling it twice.
    let clientRequestId = globalThis.crypto.randomUUID();
    replaceChildren(this.#form, h('form', {
      class: 'propose-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          this.#act(async () => {
            let tabled;
            try {
              tabled = await ProposalApi.table(this.#session.meetingId, this.#itemId, {
                from: selection.from, to: selection.to, revision: selection.revision, replacement: replacement.value, reason: reason.value || null, clientRequestId,
              });
            } catch (error) {
              // The press whose answer was lost tabled the words as they were then (the server says which proposal);
              // words changed since are a new proposal, tabled by the next press.
              if (error instanceof ApiError && Object.hasOwn(error.errors, 'clientRequestId')) clientRequestId = globalThis.crypto.randomUUID();
              throw error;
            }
            this.#renderForm(null);
            // The room does not announce a person's own changes: without this, the form went and nothing said why.
            this.#say(tabledNews(tabled));
          }, { replacement, reason });
        },
      },
    },
    h('p', { id: this.#ids.what, class: 'propose-what' }, what),
    h('label', { for: this.#ids.replacement, class: 'visually-hidden' }, selection.from === selection.to ? 'Proposed words to insert' : 'Proposed words (empty to delete)'),
    replacement,
    h('label', { for: this.#ids.reason }, 'Reason'),
    reason,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button small primary' }, 'Table the proposal'),
      h('button', { type: 'button', class: 'button small quiet', on: { click: () => this.#renderForm(null) } }, 'Cancel'))));
    replacement.focus();
  }

  #startProposal() {
    const selection = this.#editor.selection();
    if (!selection.confirmed) {
      this.#say('Your last edits are still being saved: propose again in a moment.');
      return;
    }
    this.#say('');
    this.#renderForm(selection);
  }

  #renderProposal(p, frozen, wordsFrozen, kept) {
    const state = this.#session.state;
    const you = state.you;
    const can = proposalActions(p, you, frozen, wordsFrozen);
    const who = (codes) => names(codes.map((c) => delegationName(state.participants, c)));
    const focus = (action) => `${p.id}:${action}`;
    // Each button says which proposal it acts on: its name alone ("Accept") is the same for every proposal in the list.
    const named = `${this.#ids.title}-p${p.id}`;
    const buttons = [];
    if (can.back) {
      buttons.push(h('button', {
        type: 'button', class: 'button small', 'aria-pressed': can.voice === 'back' ? 'true' : 'false', dataset: { focusKey: focus('back') }, 'aria-describedby': named,
        on: { click: () => this.#act(() => ProposalApi.support(this.#session.meetingId, p.id, can.voice === 'back' ? 'none' : 'back')) },
      }, can.voice === 'back' ? 'Backed: take back' : 'Back'));
    }
    if (can.object) {
      buttons.push(h('button', {
        type: 'button', class: 'button small', 'aria-pressed': can.voice === 'object' ? 'true' : 'false', dataset: { focusKey: focus('object') }, 'aria-describedby': named,
        on: { click: () => this.#act(() => ProposalApi.support(this.#session.meetingId, p.id, can.voice === 'object' ? 'none' : 'object')) },
      }, can.voice === 'object' ? 'Objected: take back' : 'Object'));
    }
    if (can.accept) {
      buttons.push(h('button', {
        type: 'button', class: 'button small primary accept-proposal', dataset: { focusKey: focus('accept') }, 'aria-describedby': named,
        on: { click: () => this.#act(() => ProposalApi.accept(this.#session.meetingId, p.id)) },
      }, icon('check'), 'Accept'));
    }
    if (can.reject) buttons.push(this.#reasonButton(p, named, 'Reject', true, (reason) => ProposalApi.reject(this.#session.meetingId, p.id, reason), kept));
    if (can.withdraw) buttons.push(this.#reasonButton(p, named, 'Withdraw', false, (reason) => ProposalApi.withdraw(this.#session.meetingId, p.id, reason), kept));

    const voices = [];
    if (p.backers.length) voices.push(h('p', { class: 'proposal-backers' }, `Backed by ${who(p.backers)}`));
    if (p.objectors.length) voices.push(h('p', { class: 'proposal-objectors' }, `Objected to by ${who(p.objectors)}`));
    if (p.positionsWithheld) voices.push(h('p', { class: 'muted small' }, 'Who backs or objects is shown to guests only when the chair opens the item\'s positions.'));
    else if (p.status === 'open' && !p.backers.length && !p.objectors.length) voices.push(h('p', { class: 'muted small' }, 'No delegation has backed or objected yet.'));
    const carry = p.carry && (you.canManageAgenda || you.role === 'secretariat')
      ? h('p', { class: `proposal-carry ${p.carry.carries ? 'tone-text-good' : 'tone-text-warn'}` },
        p.carry.carries ? 'The backers alone would carry it (the others abstaining).' : `The backers alone would not carry it: ${p.carry.reason}`)
      : null;
    const decision = p.decision
      ? h('p', { class: 'proposal-decision small' }, `${STATUS_WORDS[p.status]} by ${p.decision.by}${p.decision.reason ? `: ${p.decision.reason}` : '.'}`)
      : null;
    return h('li', { class: `proposal is-${p.status}`, tabindex: '-1', dataset: { proposalId: String(p.id), focusKey: String(p.id) } },
      h('p', { class: 'proposal-head' },
        h('strong', { id: named }, proposalName(p)),
        h('span', { class: 'proposal-status' }, STATUS_WORDS[p.status] ?? p.status),
        p.status === 'open' && p.span.deleted ? h('span', { class: 'proposal-orphaned' }, icon('alert'), 'Its words were deleted from the draft') : null),
      h('p', { class: 'proposal-change' }, changeOf(p)),
      p.status === 'open' ? h('p', { class: 'proposal-moved small tone-text-warn', hidden: true }, icon('alert'), h('span', {})) : null,
      p.reason ? h('p', { class: 'proposal-reason small' }, `Reason: ${p.reason}`) : null,
      voices,
      carry,
      decision,
      buttons.length ? h('div', { class: 'proposal-actions' }, buttons) : null);
  }

  /**
   * A button that asks for a reason first (required to reject, optional to withdraw). A reason being written is kept,
   * form and all, when the list is drawn again (another delegation backed a proposal): it used to vanish, with the
   * words typed and the keyboard focus. Escape puts the button back.
   */
  #reasonButton(p, named, label, required, run, kept) {
    const key = `${p.id}:${label}`;
    const holder = h('span', { class: 'reason-action' });
    const start = h('button', {
      type: 'button', class: 'button small', dataset: { focusKey: key }, 'aria-describedby': named,
      on: {
        click: () => {
          const form = this.#reasonForm(key, named, label, p.number, required, run);
          replaceChildren(holder, form);
          form.querySelector('input').focus();
        },
      },
    }, label);
    const open = this.#reasons.get(key);
    if (open) kept.add(key);
    holder.append(open ?? start);
    return holder;
  }

  #reasonForm(key, named, label, number, required, run) {
    const id = uid('reason');
    const input = h('input', {
      id, type: 'text', maxlength: 2000, required, placeholder: required ? 'Reason (required)' : 'Reason (optional)', dataset: { focusKey: `${key}:reason` },
      on: {
        keydown: (e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          this.#reasons.delete(key);
          this.#shown = '';
          this.update();
          this.#list.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
        },
      },
    });
    const form = h('form', {
      class: 'reason-form',
      on: { submit: (e) => { e.preventDefault(); this.#act(() => run(input.value.trim() || null), { reason: input }); } },
    }, h('label', { for: id, class: 'visually-hidden' }, `Why ${label.toLowerCase()} proposal ${number}`), input,
    h('button', { type: 'submit', class: 'button small', 'aria-describedby': named }, label));
    this.#reasons.set(key, form);
    return form;
  }

  /**
   * One action at a time: until the server has answered, the panel's buttons are disabled and a second press is
   * ignored (a double click on "Table the proposal" tabled it twice; on "Accept" or "Reject", the second press was
   * refused and said so, after the first had done it).
   */
  async #act(run, fields = {}) {
    if (this.#busy) return;
    for (const field of Object.values(fields)) markInvalid(field, null);
    this.#busy = true;
    this.#acting = document.activeElement?.dataset?.focusKey ?? null;
    this.#held.hold(this.element);
    this.element.setAttribute('aria-busy', 'true');
    this.#say('');
    try {
      await run();
    } catch (error) {
      this.#say(error?.message ?? String(error));
      // The field the server names is marked, described by why, and gets the keyboard, so it is corrected where it is.
      const named = error instanceof ApiError ? Object.keys(fields).filter((name) => Object.hasOwn(error.errors, name)) : [];
      for (const name of named) markInvalid(fields[name], this.#message);
      fields[named[0]]?.focus();
    } finally {
      this.#busy = false;
      this.#acting = null;
      this.#held.release();
      this.element.removeAttribute('aria-busy');
      // What changed meanwhile (the item locked while the switch was pressed) disables again what may no longer be used.
      this.update();
    }
  }

  #say(text) {
    this.#message.textContent = text;
  }
}

/** The change as marked-up words: deleted ones struck through, inserted ones underlined, and the same in words. */
function changeOf(p) {
  const parts = [];
  if (p.original) parts.push(h('del', { class: 'proposal-original' }, p.original));
  if (p.original && p.replacement) parts.push(' → ');
  if (p.replacement) parts.push(h('ins', { class: 'proposal-replacement' }, p.replacement));
  parts.push(h('span', { class: 'visually-hidden' }, ` (${describeChange(p)})`));
  return parts;
}
