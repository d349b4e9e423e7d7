// A coalition statement on the current item: the server's wording ("Firmly supported by ..."), whether the list
// of signatories is open, the signatories live, and the buttons each person may use: a delegate signs or withdraws
// for its own delegation while the list is open; the chair closes and reopens the list; the chair and the
// secretariat sign or withdraw on a delegation's behalf. The elements are kept across events, so that a button
// keeps the keyboard focus while others sign; the server checks every request again.

import { Api } from '../api.js';
import { eligibleSignatories, ownSignatory, signatureOf, signedAtMs } from '../coalition.js';
import { h, reconcile, replaceChildren, timeOf, uid } from '../dom.js';
import { focusIsNowhere } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { roman } from '../labels.js';
import { chip } from './chips.js';
import { withdrawalOf } from '../statement.js';

export class CoalitionPanel {
  #session;
  #itemId;
  #listState;
  #wording;
  #own;
  #ownStatus;
  #ownButton;
  #chair;
  #listButton = null;
  #behalf = null;
  #message;
  #count;
  #list;
  #busy = false;
  #notice;
  #revision = null;
  #restore;
  #archiveKey = null;
  /** The id of the archived coalition the way back is drawn for. */
  #archiveShown = null;
  /** After "Change the text…" or "Reopen for signature": the control shown in place of the one the keyboard was on. */
  #focusNext = null;
  /**
   * The answer to the delegate's own sign or withdraw: whether it said "signed", whether the room showed it so, and the
   * signature it speaks of (given, or withdrawn), as the moment it was given.
   */
  #ownAnswer = null;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const you = session.state.you;
    const id = uid('coalition');
    this.#listState = h('span', { class: 'coalition-list-state' });
    this.#wording = h('p', { class: 'coalition-wording' });
    this.#ownStatus = h('p', { class: 'coalition-own-status' });
    this.#ownButton = h('button', { type: 'button', class: 'button small primary', on: { click: () => this.#toggleOwn() } });
    this.#own = h('div', { class: 'coalition-own' }, this.#ownStatus, this.#ownButton);
    if (you.canLock) {
      this.#listButton = h('button', { type: 'button', class: 'button small', on: { click: () => this.#toggleList() } });
    }
    if (you.canRecordOnBehalf) {
      const select = h('select', { id: `${id}-behalf`, on: { change: () => this.update() } });
      const button = h('button', { type: 'submit', class: 'button small' });
      this.#behalf = { select, button };
    }
    this.#chair = h('div', { class: 'coalition-chair' },
      this.#listButton,
      this.#behalf ? h('form', { class: 'coalition-behalf', on: { submit: (e) => { e.preventDefault(); this.#onBehalf(); } } },
        h('label', { for: this.#behalf.select.id }, 'On behalf of'), this.#behalf.select, this.#behalf.button) : null);
    this.#message = h('p', { class: 'form-message', role: 'status' });
    // Why this statement has no (or fewer) signatures: the chair's revision, with its reason.
    this.#notice = h('p', { class: 'coalition-notice', role: 'status', hidden: true });
    if (you.canManageAgenda) {
      const reason = h('input', { id: `${id}-reason`, type: 'text', maxlength: 2000, required: true, placeholder: 'Why the text changes (every signatory is told)' });
      const open = h('button', { type: 'submit', class: 'button small danger' }, icon('pencil'), 'Change the text…');
      const reopen = h('button', { type: 'button', class: 'button small primary', on: { click: () => this.#reopen() } }, icon('lock'), 'Reopen for signature');
      const form = h('form', { class: 'coalition-revise', on: { submit: (e) => { e.preventDefault(); this.#revise(reason); } } },
        h('label', { for: reason.id }, 'Change the signed text'), reason, open,
        h('p', { class: 'muted small' }, 'The text is frozen while it is open for signature. Changing it withdraws every signature; the signatories sign the new text again.'));
      this.#revision = { form, reopen, reason, area: null };
    }
    this.#restore = h('div', { class: 'coalition-restore', hidden: true });
    this.#count = h('span', { class: 'count' });
    this.#list = h('ul', { class: 'signatory-list', 'aria-labelledby': `${id}-signatories` });
    this.element = h('section', { class: 'coalition', 'aria-labelledby': `${id}-title`, hidden: true },
      h('div', { class: 'coalition-head' },
        h('h3', { id: `${id}-title` }, icon('group'), 'Coalition of the willing'),
        this.#listState),
      this.#wording,
      this.#notice,
      h('p', { class: 'coalition-explain' }, 'The draft below is the statement. It speaks for its signatories, not for the European Council.'),
      this.#own,
      this.#chair.childElementCount > 0 ? this.#chair : null,
      this.#revision ? (this.#revision.area = h('div', { class: 'coalition-revision' }, this.#revision.form, this.#revision.reopen)) : null,
      this.#message,
      h('div', { class: 'coalition-signatories' },
        h('h4', { id: `${id}-signatories` }, 'Signatories ', this.#count),
        this.#list));
    this.section = this.element;
    // The wrapper holds the statement and, for the chair, the way back to an archived one.
    this.element = h('div', { class: 'coalition-area' }, this.section, this.#restore);
    this.update();
  }

  update() {
    const state = this.#session.state;
    const coalition = state.coalitions.get(this.#itemId);
    const item = state.items.get(this.#itemId);
    this.section.hidden = !coalition || !item;
    this.#updateRestore(item, coalition);
    if (!coalition || !item) return;

    const closedBy = coalition.locked ? `List closed${coalition.lockedBy ? ` by ${coalition.lockedBy}` : ''}${coalition.lockedAt ? ` at ${timeOf(coalition.lockedAt)}` : ''}` : '';
    replaceChildren(this.#listState, coalition.locked
      ? chip({ text: closedBy, icon: 'lock', tone: 'bad' })
      : chip({ text: 'List open for signatures', icon: 'unlock', tone: 'good' }));
    this.#wording.textContent = coalition.wording;
    const signed = new Set(coalition.signatories.map((s) => s.code));
    const revising = item.statementRevision;
    // A closed meeting refuses every change to the statement: its buttons say so rather than offer a refusal.
    const blocked = state.closed ? 'The meeting is closed.'
      : item.lock ? `The item is locked by ${item.lock.by}.`
      : revising ? 'The chair is changing the text; sign it again once it is reopened for signature.'
        : (coalition.locked ? 'The chair has closed the list.' : null);
    this.#updateNotice(item, coalition);

    const own = ownSignatory(state, this.#itemId);
    this.#own.hidden = !own;
    if (own) {
      const has = signed.has(own.delegationCode);
      this.#ownStatus.replaceChildren(icon(has ? 'check' : 'dash'),
        h('span', {}, `${own.name} ${has ? 'has signed' : 'has not signed'}.${blocked ? ` ${blocked}` : ''}`));
      this.#ownStatus.className = `coalition-own-status ${has ? 'tone-text-good' : 'tone-text-neutral'}`;
      this.#ownButton.textContent = has ? `Withdraw the signature of ${own.name}` : `Sign for ${own.name}`;
      this.#ownButton.className = `button small ${has ? 'danger' : 'primary'}`;
      this.#ownButton.dataset.action = has ? 'withdraw' : 'sign';
      this.#ownButton.disabled = this.#busy || Boolean(blocked);
      this.#forgetStaleAnswer(own, has);
    }

    if (this.#listButton) {
      this.#listButton.replaceChildren(icon(coalition.locked ? 'unlock' : 'lock'), coalition.locked ? 'Reopen the list' : 'Close the list');
      this.#listButton.disabled = this.#busy || Boolean(item.lock) || state.closed;
    }
    if (this.#behalf) this.#updateBehalf(signed, blocked);
    if (this.#revision) {
      this.#revision.form.hidden = Boolean(revising);
      this.#revision.reopen.hidden = !revising;
      for (const control of this.#revision.form.querySelectorAll('input, button')) control.disabled = this.#busy || Boolean(item.lock) || state.closed;
      this.#revision.reopen.disabled = this.#busy || Boolean(item.lock) || state.closed;
      this.#moveFocus();
    }

    this.#count.textContent = `(${coalition.signatories.length})`;
    reconcile(this.#list, coalition.signatories, (s) => s.code,
      () => h('li', {}, h('span', { class: 'code' }), h('span', { class: 'name' })),
      (li, s) => {
        li.querySelector('.code').textContent = s.code;
        li.querySelector('.name').textContent = s.name;
        li.dataset.kind = s.kind;
        li.title = `Signed at ${timeOf(s.joinedAt)}${s.recordedOnBehalf ? `, recorded by ${s.recordedBy}` : ''}`;
        li.classList.toggle('is-guest', s.kind === 'guest');
      });
  }

  /**
   * "France signed the statement" stays under the button until the room no longer shows it so (the chair changed the
   * text and withdrew every signature, or recorded a withdrawal on France's behalf): then it would contradict the
   * status above it, and goes. The room may show the answer only after it came back: it is forgotten only once seen,
   * or once the room is found to have moved past it already, which can happen before the answer comes: the room heard
   * of this very signature and has lost it since, or (for a withdrawal) shows a signature given after the one withdrawn.
   */
  #forgetStaleAnswer(own, has) {
    const answer = this.#ownAnswer;
    if (!answer) return;
    if (has === answer.signed) {
      answer.seen = true;
      return;
    }
    const coalitions = this.#session.state.coalitions;
    const code = own.delegationCode;
    const passed = answer.signed
      ? coalitions.hasSeenSignature(this.#itemId, code, answer.at)
      : answer.at !== null && coalitions.signedAt(this.#itemId, code) !== answer.at;
    if (answer.seen || passed) {
      this.#ownAnswer = null;
      this.#message.textContent = '';
    }
  }

  /**
   * Changing the text hides its form and shows "Reopen for signature", and reopening does the opposite: the keyboard
   * goes to the control shown in place of the one it was on, once the room shows it, unless the person went elsewhere.
   */
  #moveFocus() {
    const next = this.#focusNext === 'reopen' ? this.#revision.reopen : this.#focusNext === 'reason' ? this.#revision.reason : null;
    if (!next || this.#busy || next.hidden || next.disabled || next.closest('[hidden]')) return;
    this.#focusNext = null;
    const active = document.activeElement;
    const nowhere = !active || active === document.body || active === document.documentElement;
    if (nowhere || this.#revision.area.contains(active)) next.focus();
  }

  #updateNotice(item, coalition) {
    const state = this.#session.state;
    const withdrawal = withdrawalOf(state, this.#itemId);
    const own = ownSignatory(state, this.#itemId);
    const signedAgain = own && coalition.signatories.some((s) => s.code === own.delegationCode);
    let text = null;
    if (withdrawal?.mine && !signedAgain) {
      text = `Your signature was withdrawn because ${withdrawal.by} changed the text: ${withdrawal.reason}`;
    } else if (item.statementRevision) {
      text = `${item.statementRevision.by} is changing the text (${item.statementRevision.reason}). Every signature was withdrawn; signing resumes when the text is reopened for signature.`;
    } else if (withdrawal) {
      text = `The signatures given before ${timeOf(withdrawal.at)} were withdrawn when ${withdrawal.by} changed the text: ${withdrawal.reason}`;
    }
    this.#notice.hidden = !text;
    this.#notice.className = `coalition-notice ${withdrawal?.mine && !signedAgain ? 'tone-text-bad' : 'tone-text-neutral'}`;
    replaceChildren(this.#notice, text ? [icon('info'), h('span', {}, text)] : null);
  }

  /**
   * For the chair, on an item that is no longer a statement: the last archived coalition, and a way to restore it. Read
   * again whenever the item changes; drawn anew only when the archive shown is another, so that the keyboard on
   * "Restore the coalition statement" stays there while colleagues change the item.
   */
  #updateRestore(item, coalition) {
    const state = this.#session.state;
    const can = state.you.canManageAgenda && item && !coalition && !state.closed && item.status !== 'agreed' && item.status !== 'coalition';
    const key = can ? `${item.id}:${item.version}` : null;
    if (key === this.#archiveKey) return;
    this.#archiveKey = key;
    if (!can) {
      this.#restore.hidden = true;
      this.#archiveShown = null;
      return;
    }
    Api.coalitionArchive(state.meetingId, this.#itemId).then((archive) => {
      if (this.#archiveKey !== key) return;
      const last = (archive ?? []).find((a) => !a.restoredAt);
      const focused = this.#restore.contains(document.activeElement);
      if (!last) {
        this.#restore.hidden = true;
        this.#archiveShown = null;
        return;
      }
      if (last.id === this.#archiveShown && !this.#restore.hidden) return;
      this.#archiveShown = last.id;
      const n = last.signatories.length;
      const button = h('button', { type: 'button', class: 'button small', on: { click: () => this.#runRestore() } }, 'Restore the coalition statement');
      replaceChildren(this.#restore,
        h('p', {}, icon('group'), h('span', {},
          `An earlier coalition statement is kept: ${n} signature${n === 1 ? '' : 's'}, ended at ${timeOf(last.archivedAt)} by ${last.archivedBy} (${last.reason}). `
          + 'Its signatures come back only if the text is still the one they signed.')),
        button);
      this.#restore.hidden = false;
      if (focused && focusIsNowhere()) button.focus();
    }).catch(() => {});
  }

  #runRestore() {
    const state = this.#session.state;
    // The server's words: they say which signatures did not come back, and why (the text changed since).
    return this.#run(() => Api.restoreCoalition(state.meetingId, this.#itemId), (restored) => restored?.message || 'Restored.');
  }

  #revise(reasonInput) {
    const state = this.#session.state;
    const reason = reasonInput.value.trim();
    if (!reason) {
      reasonInput.focus();
      return;
    }
    return this.#run(async () => {
      await Api.reviseStatement(state.meetingId, this.#itemId, reason);
      reasonInput.value = '';
      this.#focusNext = 'reopen';
    }, 'The text is open for your change; every signature was withdrawn and each signatory told why. Reopen it for signature when done.');
  }

  #reopen() {
    const state = this.#session.state;
    return this.#run(async () => {
      await Api.reopenStatement(state.meetingId, this.#itemId);
      this.#focusNext = 'reason';
    }, 'The statement is open for signature again.');
  }

  #updateBehalf(signed, blocked) {
    const { select, button } = this.#behalf;
    const state = this.#session.state;
    const previous = select.value;
    const options = eligibleSignatories(state, this.#itemId).map((d) => h('option', { value: d.delegationCode },
      `${d.name}${d.kind === 'guest' ? ' (guest)' : ''}: ${signed.has(d.delegationCode) ? 'signed' : 'not signed'}`));
    select.replaceChildren(...options);
    if (previous && options.some((o) => o.value === previous)) select.value = previous;
    const has = signed.has(select.value);
    button.textContent = has ? 'Withdraw its signature' : 'Record its signature';
    button.dataset.action = has ? 'withdraw' : 'sign';
    button.disabled = this.#busy || Boolean(blocked) || !select.value;
    select.disabled = Boolean(blocked);
  }

  async #run(action, done) {
    this.#busy = true;
    this.update();
    this.#message.className = 'form-message';
    this.#message.textContent = '';
    try {
      const result = await action();
      this.#message.textContent = typeof done === 'function' ? done(result) : done;
    } catch (error) {
      this.#message.className = 'form-message tone-text-bad';
      this.#message.textContent = `Refused: ${error.message}`;
    } finally {
      this.#busy = false;
      this.update();
    }
  }

  #toggleOwn() {
    const state = this.#session.state;
    const own = ownSignatory(state, this.#itemId);
    if (!own) return;
    const sign = this.#ownButton.dataset.action === 'sign';
    const n = roman(state.items.get(this.#itemId)?.number);
    // A withdrawal speaks of the signature shown when it was asked for; a signature, of the one the server gave.
    const withdrawn = sign ? null : state.coalitions.signedAt(this.#itemId, own.delegationCode);
    this.#ownAnswer = null;
    return this.#run(
      async () => {
        const answer = await (sign ? Api.signCoalition : Api.withdrawFromCoalition)(state.meetingId, this.#itemId, own.delegationCode);
        this.#ownAnswer = { signed: sign, seen: false, at: sign ? signedAtMs(signatureOf(answer, own.delegationCode)) : withdrawn };
      },
      sign ? `${own.name} signed the statement of item ${n}.` : `${own.name} withdrew from the statement of item ${n}.`);
  }

  #toggleList() {
    const state = this.#session.state;
    const close = !state.coalitions.get(this.#itemId)?.locked;
    return this.#run(
      () => (close ? Api.closeCoalitionList : Api.reopenCoalitionList)(state.meetingId, this.#itemId),
      close ? 'The list of signatories is closed.' : 'The list of signatories is open again.');
  }

  #onBehalf() {
    const state = this.#session.state;
    const { select, button } = this.#behalf;
    const code = select.value;
    if (!code) return;
    const name = state.participants.get(code)?.name ?? code;
    const sign = button.dataset.action === 'sign';
    return this.#run(
      () => (sign ? Api.signCoalition : Api.withdrawFromCoalition)(state.meetingId, this.#itemId, code),
      sign ? `Recorded: ${name} signed.` : `Recorded: ${name} withdrew.`);
  }
}
