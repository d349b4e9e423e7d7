// Whether the meeting's record still moves, and the chair's switch. A closed meeting changes nothing (texts,
// positions, agenda, proposals, coalitions) until the chair reopens it; its documents can still be exported. The
// server refuses every such change (docs/ARCHITECTURE.md, "A closed meeting's record stops moving"); the page says so
// here and freezes the item's texts with the reason (RoomState.frozenReason).

import { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';

const CLOSE_QUESTION = 'Close the meeting? Nothing in it will change any more (texts, positions, agenda, proposals, coalitions) '
  + 'until you reopen it. Its documents can still be exported.';

export class MeetingStatusPanel {
  #session;
  #title;
  #text;
  #button;
  #message;
  #busy = false;
  /** Whether the meeting was closed when #message was written: said of another state, it no longer holds. */
  #messageFor = null;

  constructor(session) {
    this.#session = session;
    this.#title = h('h2', { id: 'meeting-status-title' });
    this.#text = h('p', { class: 'meeting-status-text' });
    this.#button = h('button', { type: 'button', class: 'button small meeting-status-button', on: { click: () => this.#toggle() } });
    this.#message = h('p', { class: 'form-message', role: 'status' });
    this.element = h('section', { class: 'panel meeting-status', 'aria-labelledby': 'meeting-status-title' },
      h('div', { class: 'panel-head' }, this.#title), this.#text, this.#button, this.#message);
    this.update();
  }

  update() {
    const state = this.#session.state;
    const closed = state.closed;
    const chair = isChair(state.you);
    this.element.hidden = !closed && !chair;
    this.element.classList.toggle('closed', closed);
    replaceChildren(this.#title, icon(closed ? 'lock' : 'gavel'), closed ? ' The meeting is closed' : ' The meeting');
    this.#text.className = closed ? 'meeting-status-text' : 'meeting-status-text muted small';
    this.#text.textContent = closed
      ? 'Nothing in it changes any more: the texts, the positions, the agenda, the proposals and the coalitions stay as they were when it closed. Its documents can still be exported.'
      : 'Closing the meeting freezes its record: nothing in it changes until you reopen it.';
    this.#button.hidden = !chair;
    replaceChildren(this.#button, icon(closed ? 'unlock' : 'lock'), closed ? 'Reopen the meeting' : 'Close the meeting…');
    this.#button.classList.toggle('danger', !closed);
    // Another chair closed or reopened it since: "Closed." under a "Close the meeting…" button, or a refusal of a move
    // that is made now, would describe a meeting that is no longer there.
    if (this.#messageFor !== null && this.#messageFor !== closed) this.#say('', null);
  }

  #say(text, closedState, bad = false) {
    this.#message.className = bad ? 'form-message tone-text-bad' : 'form-message';
    this.#message.textContent = text;
    this.#messageFor = text ? closedState : null;
  }

  async #toggle() {
    if (this.#busy) return;
    const state = this.#session.state;
    const m = state.meeting;
    const closing = !state.closed;
    if (closing && !globalThis.confirm(CLOSE_QUESTION)) return;
    // Disabled while the server answers (the focus comes back to it after): the room's event can redraw it as
    // "Reopen the meeting" first, and a press on it then was dropped (one action at a time) without a word.
    this.#busy = true;
    this.#button.disabled = true;
    this.#say('', null);
    try {
      const answer = await Api.updateMeeting(state.meetingId, {
        title: m.title, date: m.date, place: m.place, documentNumber: m.documentNumber,
        status: closing ? 'closed' : 'inSession',
        distributionMarking: m.distributionMarking, reservationAttribution: m.reservationAttribution,
        expectedVersion: m.version,
      });
      // Another chair's move may reach the room before this answer: "Closed." said then would describe a meeting
      // reopened since, under its "Close the meeting…" button.
      const since = typeof answer?.version === 'number' && (this.#session.state.meeting?.version ?? 0) > answer.version;
      if (since && this.#session.state.closed !== closing) return;
      this.#say(closing ? 'Closed. Nothing in the meeting changes until you reopen it.' : 'Reopened.', closing);
    } catch (error) {
      this.#say(error.message, !closing, true);
    } finally {
      this.#busy = false;
      this.#button.disabled = false;
    }
  }
}

/** Who may close and reopen the meeting: the chair (an administrator is one in every meeting). */
function isChair(you) {
  return you?.role === 'chair' || you?.isAdmin === true;
}
