// The chair's controls for the current item: lock (with a reason) and unlock, status, and the fallback of
// a coalition of the willing. Rendered only for those the snapshot says may use them; the server checks again.

import { Api } from '../api.js';
import { proposeCoalition } from '../coalition.js';
import { h, replaceChildren, timeOf, uid } from '../dom.js';
import { icon } from '../icons.js';
import { ItemStatusLabels, labelOf } from '../labels.js';

const STATUSES = ['draft', 'underDiscussion', 'agreed', 'notAgreed', 'coalition'];

export class ChairControls {
  #session;
  #itemId;
  #lockArea;
  #status;
  #statusButton;
  #message;
  #coalitionArea;
  #lockKey = null;
  #shownStatus = null;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const id = uid('chair');
    this.#lockArea = h('div', { class: 'control-group lock-controls' });
    this.#status = h('select', { id: `${id}-status` }, STATUSES.map((s) => h('option', { value: s }, labelOf(ItemStatusLabels, s).text)));
    this.#statusButton = h('button', { type: 'submit', class: 'button small' }, 'Set status');
    this.#message = h('p', { class: 'form-message', role: 'status' });
    this.#coalitionArea = h('div', { class: 'coalition-area' });
    const you = session.state.you;
    this.element = h('section', { class: 'chair-controls', 'aria-label': 'Chair controls' },
      h('h3', { class: 'controls-title' }, icon('gavel'), 'Chair'),
      you.canLock ? this.#lockArea : null,
      you.canManageAgenda ? h('form', { class: 'control-group', on: { submit: (e) => { e.preventDefault(); this.#setStatus(); } } },
        h('label', { for: this.#status.id }, 'Status'), this.#status, this.#statusButton) : null,
      you.canManageAgenda ? h('button', {
        type: 'button', class: 'button small quiet', 'aria-expanded': 'false',
        on: { click: (e) => this.#toggleCoalition(e.currentTarget) },
      }, icon('group'), 'Coalition of the willing…') : null,
      this.#message,
      this.#coalitionArea);
    this.update();
  }

  update() {
    const item = this.#session.state.items.get(this.#itemId);
    if (!item) return;
    if (item.status !== this.#shownStatus) {
      this.#shownStatus = item.status;
      this.#status.value = item.status;
    }
    this.#status.disabled = Boolean(item.lock);
    this.#statusButton.disabled = Boolean(item.lock);
    this.#status.title = item.lock ? 'Unlock the item to change its status.' : '';
    this.#renderLock(item);
  }

  #renderLock(item) {
    // Redraw only when the lock changes: a reason half typed must survive other people's changes to the item.
    const key = item.lock ? `${item.lock.by}|${item.lock.at}|${item.lock.reason ?? ''}` : 'unlocked';
    if (key === this.#lockKey) return;
    this.#lockKey = key;
    const focusedUnlock = document.activeElement?.classList.contains('unlock-button');
    const focusedLock = document.activeElement?.classList.contains('lock-button');
    if (item.lock) {
      replaceChildren(this.#lockArea,
        h('p', { class: 'lock-state' }, icon('lock'),
          h('span', {}, `Locked by ${item.lock.by} at ${timeOf(item.lock.at)}${item.lock.reason ? `: ${item.lock.reason}` : ''}`)),
        h('button', { type: 'button', class: 'button small unlock-button', on: { click: () => this.#unlock() } }, icon('unlock'), 'Unlock'));
      if (focusedLock) this.#lockArea.querySelector('.unlock-button').focus();
    } else {
      const id = uid('lock-reason');
      const reason = h('input', { id, type: 'text', maxlength: 500, placeholder: 'e.g. Legal-linguistic check', class: 'lock-reason' });
      replaceChildren(this.#lockArea,
        h('form', { class: 'lock-form', on: { submit: (e) => { e.preventDefault(); this.#lock(reason.value); } } },
          h('label', { for: id }, 'Reason for locking (everyone sees it)'),
          h('div', { class: 'inline' }, reason,
            h('button', { type: 'submit', class: 'button small danger lock-button' }, icon('lock'), 'Lock item'))));
      if (focusedUnlock) this.#lockArea.querySelector('.lock-button').focus();
    }
  }

  async #run(action, done) {
    this.#message.className = 'form-message';
    this.#message.textContent = '';
    try {
      await action();
      if (done) this.#message.textContent = done;
    } catch (error) {
      this.#message.className = 'form-message tone-text-bad';
      this.#message.textContent = error.message;
    }
  }

  #lock(reason) {
    const { meetingId } = this.#session.state;
    return this.#run(() => Api.lock(meetingId, this.#itemId, reason.trim()), 'Locked. The texts are read-only for everyone.');
  }

  #unlock() {
    const { meetingId } = this.#session.state;
    return this.#run(() => Api.unlock(meetingId, this.#itemId), 'Unlocked.');
  }

  #setStatus() {
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    const status = this.#status.value;
    return this.#run(() => Api.setStatus(state.meetingId, this.#itemId, status, item.version),
      `Status set to “${labelOf(ItemStatusLabels, status).text}”.`);
  }

  #toggleCoalition(button) {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    if (open) {
      this.#coalitionArea.replaceChildren();
      return;
    }
    const state = this.#session.state;
    const members = state.delegationsFor(this.#itemId).filter((d) => d.kind === 'memberState');
    const boxes = members.map((d) => {
      const stance = state.position(this.#itemId, d.delegationCode).stance;
      const id = uid(`coalition-${d.delegationCode}`);
      return h('li', {},
        h('input', { type: 'checkbox', id, value: d.delegationCode, checked: stance === 'support' || stance === 'supportWithReservation' }),
        h('label', { for: id }, `${d.delegationCode} ${d.name}`));
    });
    const note = h('textarea', { id: uid('coalition-note'), rows: 2, placeholder: 'e.g. Text firmly supported by 26 heads of state or government' });
    const result = h('p', { class: 'form-message', role: 'status' });
    this.#coalitionArea.replaceChildren(h('form', {
      class: 'coalition-form',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const chosen = [...this.#coalitionArea.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
          const outcome = await proposeCoalition(state.meetingId, this.#itemId, { members: chosen, note: note.value.trim() || null });
          result.className = `form-message ${outcome.state === 'done' ? 'tone-text-good' : 'tone-text-bad'}`;
          result.textContent = outcome.state === 'done' ? `Recorded: a coalition of ${chosen.length} member states.` : outcome.message;
        },
      },
    },
    h('p', {}, 'If the Council cannot agree, those willing may go ahead. Members in favour are ticked.'),
    h('fieldset', {}, h('legend', {}, 'Members of the coalition'), h('ul', { class: 'coalition-members' }, boxes)),
    h('label', { for: note.id }, 'Note for the record'), note,
    h('button', { type: 'submit', class: 'button small primary' }, 'Record the coalition'),
    result));
    this.#coalitionArea.querySelector('input')?.focus();
  }
}
