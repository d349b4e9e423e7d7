import { Api } from '../api.js';
import { h, replaceChildren, uid } from '../dom.js';
import { focusIsNowhere } from '../focus-keeper.js';
import { RoleLabels, textOf } from '../labels.js';

/**
 * For the chair: who holds a seat in the meeting, and "Revoke seat" for each (the chair's own seat and other chairs'
 * only for an admin, as the server rules). A revoked person's pages leave the room at once; the list follows the
 * membership.* events, so a seat taken or revoked elsewhere shows here too.
 */
export class SeatsPanel {
  #session;
  #list;
  #result;
  /** Lists asked for: changes close together read the list more than once, and the answers may come back in any order. */
  #asked = 0;
  #newest = null;
  /** The seat this panel is revoking, while it does. */
  #revoking = null;

  constructor(session) {
    this.#session = session;
    const id = uid('seats');
    this.#list = h('ul', { class: 'invitation-list seat-list', 'aria-label': 'Seats' });
    this.#result = h('div', { class: 'invite-result', role: 'status', tabindex: '-1' });
    this.element = h('section', { class: 'panel invitations seats', 'aria-labelledby': `${id}-title` },
      h('div', { class: 'panel-head' }, h('h2', { id: `${id}-title` }, 'Seats')),
      h('p', { class: 'panel-sub' }, 'Who may enter the meeting. A revoked seat leaves the room at once.'),
      this.#result, this.#list);
    this.refresh().catch((e) => this.#say(e.message, 'error'));
  }

  /** Reads and draws the list; resolves once the newest list asked for is drawn. */
  refresh() {
    const run = this.#load((this.#asked += 1));
    this.#newest = run;
    return run;
  }

  async #load(asked) {
    const state = this.#session.state;
    const seats = await Api.memberships(state.meetingId);
    // An older list answered after a newer one would bring back a seat revoked in between: the newer one is drawn.
    if (asked !== this.#asked) return this.#newest;
    const delegations = state.participants;
    const kept = this.#keyboardIn();
    replaceChildren(this.#list, seats.length === 0 ? h('li', { class: 'muted' }, 'Nobody holds a seat yet.') : seats.map((seat) => {
      const role = textOf(RoleLabels, seat.role);
      const delegation = seat.delegationCode ? delegations.get(seat.delegationCode)?.name ?? seat.delegationCode : null;
      const revocable = seat.userId !== state.you.userId && (seat.role !== 'chair' || state.you.isAdmin);
      return h('li', { dataset: { membershipId: String(seat.id) } },
        h('span', { class: 'invitation-who' }, seat.name),
        revocable
          ? h('button', {
            type: 'button',
            class: 'button small quiet',
            on: { click: (event) => this.#revoke(seat, event.currentTarget) },
          }, 'Revoke seat', h('span', { class: 'visually-hidden' }, ` of ${seat.name}`))
          : h('span', {}),
        h('span', { class: 'invitation-meta' }, [delegation ? `${role}, ${delegation}` : role, seat.email].filter(Boolean).join(' · ')));
    }));
    this.#keyboardBack(kept);
  }

  /** The seat whose button has the keyboard, and its row's place in the list: the list is drawn anew on every change. */
  #keyboardIn() {
    const row = this.#list.contains(document.activeElement) ? document.activeElement.closest('li') : null;
    return row ? { seat: row.dataset.membershipId, at: [...this.#list.children].indexOf(row) } : null;
  }

  /**
   * After a change anyone made, the keyboard is back on the same seat's button or, that seat gone, on the button of the
   * seat now in its place (or the last). The seat this panel has just revoked is left to #revoke, which says what happened.
   */
  #keyboardBack(kept) {
    if (!kept || kept.seat === this.#revoking || !focusIsNowhere()) return;
    const rows = [...this.#list.children];
    const same = rows.find((row) => row.dataset.membershipId === kept.seat);
    const near = same ? [same] : [...rows.slice(kept.at), ...rows.slice(0, kept.at).reverse()];
    const button = near.map((row) => row.querySelector('button')).find(Boolean);
    (button ?? this.#result).focus();
  }

  async #revoke(seat, button) {
    if (!globalThis.confirm(`Revoke the seat of ${seat.name}? Their pages leave the room at once; a new invitation is needed to come back.`)) return;
    button.disabled = true;
    this.#revoking = String(seat.id);
    try {
      await Api.revokeMembership(this.#session.state.meetingId, seat.id);
      this.#say(`The seat of ${seat.name} is revoked: they are no longer in the meeting.`);
      await this.refresh();
    } catch (e) {
      this.#say(e.message, 'error');
      button.disabled = false;
      await this.refresh().catch(() => {});
    } finally {
      this.#revoking = null;
    }
    // The button goes with the seat it revoked: the focus stays in the panel, on what happened.
    if (!button.isConnected && focusIsNowhere()) this.#result.focus();
  }

  #say(message, tone = 'info') {
    replaceChildren(this.#result, h('p', { class: tone === 'error' ? 'form-error' : '' }, message));
  }
}
