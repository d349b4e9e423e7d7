// A coalition statement on the current item: the server's wording ("Firmly supported by ..."), whether the list
// of signatories is open, the signatories live, and the buttons each person may use: a delegate signs or withdraws
// for its own delegation while the list is open; the chair closes and reopens the list; the chair and the
// secretariat sign or withdraw on a delegation's behalf. The elements are kept across events, so that a button
// keeps the keyboard focus while others sign; the server checks every request again.

import { Api } from '../api.js';
import { eligibleSignatories, ownSignatory } from '../coalition.js';
import { h, reconcile, replaceChildren, timeOf, uid } from '../dom.js';
import { icon } from '../icons.js';
import { roman } from '../labels.js';
import { chip } from './chips.js';

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
    this.#count = h('span', { class: 'count' });
    this.#list = h('ul', { class: 'signatory-list', 'aria-labelledby': `${id}-signatories` });
    this.element = h('section', { class: 'coalition', 'aria-labelledby': `${id}-title`, hidden: true },
      h('div', { class: 'coalition-head' },
        h('h3', { id: `${id}-title` }, icon('group'), 'Coalition of the willing'),
        this.#listState),
      this.#wording,
      h('p', { class: 'coalition-explain' }, 'The draft below is the statement. It speaks for its signatories, not for the European Council.'),
      this.#own,
      this.#chair.childElementCount > 0 ? this.#chair : null,
      this.#message,
      h('div', { class: 'coalition-signatories' },
        h('h4', { id: `${id}-signatories` }, 'Signatories ', this.#count),
        this.#list));
    this.update();
  }

  update() {
    const state = this.#session.state;
    const coalition = state.coalitions.get(this.#itemId);
    const item = state.items.get(this.#itemId);
    this.element.hidden = !coalition || !item;
    if (!coalition || !item) return;

    const closedBy = coalition.locked ? `List closed${coalition.lockedBy ? ` by ${coalition.lockedBy}` : ''}${coalition.lockedAt ? ` at ${timeOf(coalition.lockedAt)}` : ''}` : '';
    replaceChildren(this.#listState, coalition.locked
      ? chip({ text: closedBy, icon: 'lock', tone: 'bad' })
      : chip({ text: 'List open for signatures', icon: 'unlock', tone: 'good' }));
    this.#wording.textContent = coalition.wording;
    const signed = new Set(coalition.signatories.map((s) => s.code));
    const blocked = item.lock ? `The item is locked by ${item.lock.by}.` : (coalition.locked ? 'The chair has closed the list.' : null);

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
    }

    if (this.#listButton) {
      this.#listButton.replaceChildren(icon(coalition.locked ? 'unlock' : 'lock'), coalition.locked ? 'Reopen the list' : 'Close the list');
      this.#listButton.disabled = this.#busy || Boolean(item.lock);
    }
    if (this.#behalf) this.#updateBehalf(signed, blocked);

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
      await action();
      this.#message.textContent = done;
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
    return this.#run(
      () => (sign ? Api.signCoalition : Api.withdrawFromCoalition)(state.meetingId, this.#itemId, own.delegationCode),
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
