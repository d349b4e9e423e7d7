// The chair's controls for the current item: lock (with a reason) and unlock, status, and the fallback of
// a coalition of the willing for an item not agreed (its list of signatories is in coalition-panel.js).
// Rendered only for those the snapshot says may use them; the server checks again.

import { Api } from '../api.js';
import { h, replaceChildren, timeOf, uid } from '../dom.js';
import { focusIsNowhere, HeldWhileBusy } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { ItemStatusLabels, labelOf, roman } from '../labels.js';
import { lapseQuestion } from '../proposals.js';

const STATUSES = ['draft', 'underDiscussion', 'agreed', 'notAgreed', 'coalition'];
/** Shown, never chosen: an item becomes a coalition statement through "Coalition of the willing…", which names its signatories. */
const SHOWN_ONLY = new Set(['coalition']);

export class ChairControls {
  #session;
  #itemId;
  #lockArea;
  #status;
  #statusButton;
  #message;
  #coalitionArea;
  #coalitionStart;
  #coalitionKey = null;
  #lockKey = null;
  #shownStatus = null;
  #busy = false;
  #focusWasInLock = false;
  #held = new HeldWhileBusy();
  /** The item's version the answer under the controls speaks of: once the item moves past it, the answer is stale. */
  #answeredAt = null;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const id = uid('chair');
    this.#lockArea = h('div', { class: 'control-group lock-controls' });
    this.#status = h('select', { id: `${id}-status` }, STATUSES.map((s) => h('option', { value: s, disabled: SHOWN_ONLY.has(s) }, labelOf(ItemStatusLabels, s).text)));
    this.#statusButton = h('button', { type: 'submit', class: 'button small' }, 'Set status');
    this.#message = h('p', { class: 'form-message', role: 'status' });
    this.#coalitionArea = h('div', { class: 'coalition-area' });
    this.#coalitionStart = h('div', { class: 'coalition-start' });
    const you = session.state.you;
    this.element = h('section', { class: 'chair-controls', 'aria-label': 'Chair controls' },
      h('h3', { class: 'controls-title' }, icon('gavel'), 'Chair'),
      you.canLock ? this.#lockArea : null,
      you.canManageAgenda ? h('form', { class: 'control-group', on: { submit: (e) => { e.preventDefault(); this.#setStatus(); } } },
        h('label', { for: this.#status.id }, 'Status'), this.#status, this.#statusButton) : null,
      you.canManageAgenda ? this.#coalitionStart : null,
      this.#message,
      this.#coalitionArea);
    this.update();
  }

  update() {
    const item = this.#session.state.items.get(this.#itemId);
    if (!item) return;
    // "Locked." under an item a colleague has since unlocked, or "Status set to …" under another status, would lie.
    if (this.#answeredAt !== null && item.version > this.#answeredAt) {
      this.#answeredAt = null;
      this.#message.className = 'form-message';
      this.#message.textContent = '';
    }
    // A closed meeting changes nothing: the chair reopens it first (the room's "The meeting is closed" panel).
    this.element.hidden = this.#session.state.closed;
    if (item.status !== this.#shownStatus) {
      this.#shownStatus = item.status;
      this.#status.value = item.status;
    }
    // A running silence procedure decides the status (the server refuses a change until the chair cancels it).
    const silent = this.#session.state.silences.get(this.#itemId)?.state === 'open';
    const fixed = Boolean(item.lock) || silent;
    this.#status.disabled = fixed;
    // One action at a time: while one waits for its answer the others are disabled, not silently ignored.
    this.#statusButton.disabled = fixed || this.#busy;
    this.#status.title = item.lock ? 'Unlock the item to change its status.'
      : silent ? 'A silence procedure runs: it decides the status. Cancel it to change the status.' : '';
    this.#renderLock(item);
    // Nor is an item under silence locked: the deadline would agree it over the lock (the server refuses it too).
    const lockButton = this.#lockArea.querySelector('.lock-button');
    if (lockButton) {
      lockButton.disabled = silent || this.#busy;
      lockButton.title = silent ? 'A silence procedure runs: it decides the item. Cancel it to lock the item.' : '';
    }
    const unlockButton = this.#lockArea.querySelector('.unlock-button');
    if (unlockButton) unlockButton.disabled = this.#busy;
    this.#updateCoalitionStart(item, silent);
  }

  #renderLock(item) {
    // Redraw only when the lock changes: a reason half typed must survive other people's changes to the item.
    const key = item.lock ? `${item.lock.by}|${item.lock.at}|${item.lock.reason ?? ''}` : 'unlocked';
    if (key === this.#lockKey) return;
    this.#lockKey = key;
    // Enter in the reason locks as "Lock item" does: the keyboard goes on to the control that replaces the form.
    // Or it was here when an action began, and went nowhere as the action disabled the control it was on.
    const focusedHere = this.#lockArea.contains(document.activeElement) || (this.#busy && this.#focusWasInLock && focusIsNowhere());
    const focusedUnlock = focusedHere && !this.#lockArea.querySelector('.lock-form');
    const focusedLock = focusedHere && !focusedUnlock;
    if (item.lock) {
      replaceChildren(this.#lockArea,
        h('p', { class: 'lock-state' }, icon('lock'),
          h('span', {}, `Locked by ${item.lock.by} at ${timeOf(item.lock.at)}${item.lock.reason ? `: ${item.lock.reason}` : ''}`)),
        h('button', { type: 'button', class: 'button small unlock-button', on: { click: () => this.#unlock() } }, icon('unlock'), 'Unlock'));
      this.#drawn(focusedLock ? this.#lockArea.querySelector('.unlock-button') : null);
    } else {
      const id = uid('lock-reason');
      // The server takes a reason of up to 2,000 characters (Limits.Reason): a longer note pasted in is not cut short here.
      const reason = h('input', { id, type: 'text', maxlength: 2000, placeholder: 'e.g. Legal-linguistic check', class: 'lock-reason' });
      replaceChildren(this.#lockArea,
        h('form', { class: 'lock-form', on: { submit: (e) => { e.preventDefault(); this.#lock(reason.value); } } },
          h('label', { for: id }, 'Reason for locking (everyone sees it)'),
          h('div', { class: 'inline' }, reason,
            h('button', { type: 'submit', class: 'button small danger lock-button' }, icon('lock'), 'Lock item'))));
      this.#drawn(focusedUnlock ? this.#lockArea.querySelector('.lock-button') : null);
    }
  }

  /**
   * The lock's controls were drawn again, `next` to take the keyboard. The room's event can come before the answer to
   * "Lock item" or "Unlock": a press on what it drew was dropped then (one action at a time), so it waits for the answer.
   */
  #drawn(next) {
    if (this.#busy) this.#held.hold(this.#lockArea, next);
    next?.focus();
  }

  async #run(action, done) {
    // One action at a time: the second click of a double click would otherwise be refused ("Item I is locked by …",
    // "… is not locked") and shown as an error over the first one's success.
    if (this.#busy) return;
    this.#busy = true;
    this.#focusWasInLock = this.#lockArea.contains(document.activeElement);
    // The other controls wait too: "Set status" pressed while a lock is on its way was dropped without a word.
    this.update();
    this.#answeredAt = null;
    this.#message.className = 'form-message';
    this.#message.textContent = '';
    try {
      const answer = await action();
      const said = typeof done === 'function' ? done() : done;
      // The item as the server answered it, which its own event may reach the page after. A colleague's later change
      // may also have come first (the item unlocked since): the answer would then lie from the start, and is not said.
      const at = typeof answer?.version === 'number' ? answer.version : null;
      const passed = at !== null && (this.#session.state.items.get(this.#itemId)?.version ?? at) > at;
      if (said && !passed) this.#message.textContent = said;
      if (said && at !== null && !passed) this.#answeredAt = at;
    } catch (error) {
      this.#message.className = 'form-message tone-text-bad';
      this.#message.textContent = error.message;
    } finally {
      this.#busy = false;
      this.#held.release();
      // What the lock's controls may do now (none while a silence procedure runs) is decided again.
      this.update();
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
    // Leaving the coalition state ends the statement: the server says what would happen, the chair confirms it.
    const leavesCoalition = item.status === 'coalition' && status !== 'coalition';
    // Agreeing lapses the item's open proposals in the same change: the chair is told which, and may think again.
    const lapsing = status === 'agreed' && item.status !== 'agreed' ? state.proposals.forItem(this.#itemId).filter((p) => p.status === 'open') : [];
    if (lapsing.length > 0 && !globalThis.confirm(lapseQuestion(roman(item.number), lapsing))) {
      this.#status.value = item.status;
      return Promise.resolve();
    }
    let declined = false;
    const put = async () => {
      try {
        return await Api.setStatus(state.meetingId, this.#itemId, status, item.version);
      } catch (error) {
        if (!leavesCoalition || error?.status !== 409 || error.current?.version !== item.version) throw error;
        if (!globalThis.confirm(error.message)) {
          // The chair thought again: nothing went wrong, and the control says the item's status, not the one declined.
          declined = true;
          this.#status.value = this.#itemNow(error, item).status;
          return;
        }
        return await Api.setStatus(state.meetingId, this.#itemId, status, item.version, true);
      }
    };
    return this.#run(() => put().catch((error) => { throw this.#statusRefused(error, item); }), () => (declined
      ? `Nothing changed: item ${roman(item.number)} stays a coalition statement.`
      : `Status set to “${labelOf(ItemStatusLabels, status).text}”.`));
  }

  /**
   * A refused status change leaves the item as it was, so the control shows the item's status again rather than the one
   * the server did not take. A colleague's change that came first is said in words: the server's "Item 3 is at version
   * 5, not 4" is written for API clients.
   */
  #statusRefused(error, asked) {
    const now = this.#itemNow(error, asked);
    if (typeof error?.status === 'number' && error.status < 500) this.#status.value = now.status;
    if (error?.status !== 409 || typeof error.current?.version !== 'number' || error.current.version === asked.version) return error;
    return new Error(`Item ${roman(asked.number)} changed while the status was on its way. Nothing changed: its status is `
      + `“${labelOf(ItemStatusLabels, now.status).text}”. Set it again if you still mean to.`);
  }

  /** The item now: as a refusal carries it (a conflict's `current`), else as this page knows it, else as it was asked. */
  #itemNow(error, asked) {
    return typeof error?.current?.status === 'string' ? error.current : this.#session.state.items.get(this.#itemId) ?? asked;
  }

  #updateCoalitionStart(item, silent) {
    // Only an item the Council did not agree on becomes a coalition statement (the server refuses the others), and not
    // while a silence procedure decides it (the server refuses until the chair cancels the procedure).
    const key = item.lock ? 'locked' : `${item.status}:${silent}`;
    if (key === this.#coalitionKey) return;
    this.#coalitionKey = key;
    if (item.status === 'notAgreed' && !item.lock && silent) {
      this.#coalitionArea.replaceChildren();
      replaceChildren(this.#coalitionStart,
        h('p', { class: 'muted small coalition-hint' }, 'A silence procedure runs: it decides the item. Cancel it to offer a coalition of the willing.'));
    } else if (item.status === 'notAgreed' && !item.lock) {
      const open = this.#coalitionArea.childElementCount > 0;
      replaceChildren(this.#coalitionStart, h('button', {
        type: 'button', class: 'button small quiet coalition-toggle', 'aria-expanded': String(open),
        on: { click: (e) => this.#toggleCoalition(e.currentTarget) },
      }, icon('group'), 'Coalition of the willing…'));
    } else {
      this.#coalitionArea.replaceChildren();
      replaceChildren(this.#coalitionStart, item.status === 'draft' || item.status === 'underDiscussion'
        ? h('p', { class: 'muted small coalition-hint' }, 'No agreement? Set the status to “Not agreed” to offer a coalition of the willing.')
        : null);
    }
  }

  #toggleCoalition(button) {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    if (open) {
      const focusWasHere = this.#coalitionArea.contains(document.activeElement);
      this.#coalitionArea.replaceChildren();
      if (focusWasHere) button.focus();
      return;
    }
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    const supporters = state.delegationsFor(this.#itemId)
      .filter((d) => d.kind === 'memberState' && ['support', 'supportWithReservation'].includes(state.position(this.#itemId, d.delegationCode).stance));
    const create = h('button', { type: 'button', class: 'button small primary' }, icon('group'), 'Make it a coalition statement');
    create.addEventListener('click', () => this.#run(async () => {
      await Api.createCoalition(state.meetingId, this.#itemId);
      // The button pressed goes, and so does "Coalition of the willing…" once the item is a statement: the keyboard
      // goes to the status, which now says so, rather than to the top of the page.
      const active = document.activeElement;
      const lost = !active || active === document.body || this.#coalitionArea.contains(active);
      this.#coalitionArea.replaceChildren();
      if (lost) this.#status.focus();
    }, `Item ${roman(item.number)} is now a coalition statement.`));
    this.#coalitionArea.replaceChildren(h('div', { class: 'coalition-form' },
      h('p', {}, `The Council did not agree on item ${roman(item.number)}. Those willing may still go ahead with its text as their statement. `
        + `The ${supporters.length} member state${supporters.length === 1 ? '' : 's'} supporting it sign first; `
        + 'the others, and the guests invited to the item, may sign until you close the list.'),
      h('div', { class: 'inline' }, create,
        h('button', { type: 'button', class: 'button small quiet', on: { click: () => button.click() } }, 'Cancel'))));
    create.focus();
  }
}
