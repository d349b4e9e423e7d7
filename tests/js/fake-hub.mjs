// A stand-in for the BriefingHub and one browser's connection to it, enough to drive RoomSession
// through joins, live events, dropped connections, catch-ups and resets without a server.
import { FakeTextServer } from './fake-server.mjs';
import { RoomSession } from '../../wwwroot/js/room-session.js';

export const MEETING_ID = 1;

export class FakeHub {
  constructor({ draft = 'Hello', seq = 10 } = {}) {
    this.seq = seq;
    this.events = [];
    this.text = new FakeTextServer(draft);
    this.item = { id: 1, number: 1, title: 'Ukraine', description: '', rule: 'unanimity', status: 'underDiscussion', lock: null, guests: [], version: 1 };
    this.connections = [];
    /** When set, GetEventsSince answers reset: true (the client missed too much). */
    this.forceReset = false;
    /** When set, SubmitOperation throws this refusal instead of committing. */
    this.refuseWith = null;
    /** When set, JoinMeeting throws this refusal (the seat was revoked). */
    this.refuseJoinWith = null;
    /** Who the page's user is in the meeting: JoinMeeting and the snapshot answer it. */
    this.you = { userId: 'me', name: 'France delegate', role: 'delegate', delegationCode: 'FR', canEditDrafts: true };
  }

  snapshot() {
    return {
      meeting: { id: MEETING_ID, title: 'Special meeting', documentNumber: 'EUCO 1/25', date: '2025-03-06', place: 'Brussels', status: 'inSession', version: 1 },
      seq: this.seq,
      you: structuredClone(this.you),
      participants: [{ delegationCode: 'FR', name: 'France', kind: 'memberState', votes: true }],
      items: [structuredClone(this.item)],
      positions: [],
      texts: [{ id: 'draft:1', text: this.text.text, revision: this.text.revision }],
    };
  }

  /** Appends an event and pushes it to every connected connection (unless told to hold it back). */
  publish(type, payload, { deliver = true, actorId = 'other' } = {}) {
    const event = { meetingId: MEETING_ID, seq: ++this.seq, type, itemId: 1, payload, actorId, actor: 'Someone', at: new Date().toISOString() };
    this.events.push(event);
    if (deliver) for (const c of this.connections) c.push(event);
    return event;
  }

  /** Someone else types into the draft. */
  otherEdits(newOperation, options) {
    const edit = this.text.submit({ baseRevision: this.text.revision, clientOpId: `other-${this.seq}`, operation: newOperation }, 'Hungary delegate');
    this.publish('text.edited', { documentId: 'draft:1', ...edit, authorId: 'other' }, options);
  }

  setStatus(status, options) {
    this.item = { ...this.item, status, version: this.item.version + 1 };
    this.publish('item.status', structuredClone(this.item), options);
  }

  connect() {
    const connection = new FakeConnection(this);
    this.connections.push(connection);
    return connection;
  }

  handle(connection, method, args) {
    switch (method) {
      case 'JoinMeeting':
        if (this.refuseJoinWith) throw new Error(`An unexpected error occurred invoking 'JoinMeeting' on the server. HubException: ${this.refuseJoinWith}`);
        return { meetingId: MEETING_ID, seq: this.seq, you: this.snapshot().you, snapshotUrl: `/api/meetings/${MEETING_ID}/snapshot` };
      case 'LeaveMeeting':
        return null;
      case 'CloseConnection':
        return null;
      case 'GetEventsSince': {
        const since = args[1];
        if (this.forceReset) return { events: [], upTo: this.seq, reset: true };
        return { events: this.events.filter((e) => e.seq > since), upTo: this.seq, reset: false };
      }
      case 'SubmitOperation': {
        if (this.refuseWith) throw new Error(`An unexpected error occurred invoking 'SubmitOperation' on the server. HubException: ${this.refuseWith}`);
        const request = args[1];
        const edit = this.text.submit(request, 'France delegate');
        if (!edit.duplicate) {
          this.publish('text.edited', { documentId: request.documentId, ...edit, authorId: 'me' }, { deliver: !connection.holdAcks, actorId: 'me' });
        }
        return { documentId: request.documentId, revision: edit.revision, seq: this.seq, clientOpId: request.clientOpId, duplicate: Boolean(edit.duplicate) };
      }
      case 'GetTextHistory': {
        const since = args[2];
        const all = this.text.since(since).map((e) => ({ ...e, at: '', seq: 0, authorId: '' }));
        // historyPageSize set: answers in pages with `more`, as the server does; otherwise all at once, as it did.
        if (this.historyPageSize === undefined) return { documentId: args[1], revision: this.text.revision, edits: all };
        const edits = all.slice(0, this.historyPageSize);
        return { documentId: args[1], revision: this.text.revision, edits, more: edits.length < all.length };
      }
      default:
        throw new Error(`FakeHub: no ${method}`);
    }
  }
}

export class FakeConnection {
  constructor(hub) {
    this.hub = hub;
    this.state = 'Disconnected';
    this.handlers = new Map();
    this.reconnecting = [];
    this.reconnected = [];
    this.closed = [];
    /** Every invoke and send, in order: [method, ...args]. */
    this.calls = [];
    /** When set, our own committed edits are not pushed back live (the ack is lost). */
    this.holdAcks = false;
  }

  on(name, fn) { this.handlers.set(name, fn); }
  onreconnecting(fn) { this.reconnecting.push(fn); }
  onreconnected(fn) { this.reconnected.push(fn); }
  onclose(fn) { this.closed.push(fn); }
  async start() { this.state = 'Connected'; }
  async stop() { this.state = 'Disconnected'; }

  async invoke(method, ...args) {
    this.calls.push([method, ...args]);
    if (this.state !== 'Connected') throw new Error('Cannot send data if the connection is not in the \'Connected\' State.');
    return this.hub.handle(this, method, args);
  }

  async send(method, ...args) {
    this.calls.push([`send:${method}`, ...args]);
  }

  /** Delivers one event as the server does: a batch that covers its number. */
  push(event) {
    this.pushBatch({ meetingId: event.meetingId, from: event.seq - 1, upTo: event.seq, events: [event] });
  }

  pushBatch(batch) {
    if (this.state === 'Connected') this.handlers.get('MeetingEvents')?.(batch);
  }

  /** The server took this connection out of the room: its seat was revoked or changed. */
  seatChanged(meetingId = MEETING_ID) {
    if (this.state === 'Connected') this.handlers.get('SeatChanged')?.(meetingId);
  }

  drop() {
    this.state = 'Reconnecting';
    for (const fn of this.reconnecting) fn(new Error('gone'));
  }

  restore() {
    this.state = 'Connected';
    for (const fn of this.reconnected) fn('new-connection-id');
  }

  methods() { return this.calls.map(([m]) => m); }
}

/** Lets pending promise callbacks and zero-delay timers run. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A RoomSession of the page on `hub`, opened: its connection, and every status it reported. The tests' defaults (ids
 * mine-1, mine-2…, a 5 ms gap wait, the room from the hub) give way to `options`.
 */
export async function openSession(hub, options = {}) {
  let connection;
  let n = 0;
  const session = new RoomSession(MEETING_ID, () => { connection = hub.connect(); return connection; },
    { newClientOpId: () => `mine-${++n}`, gapMs: 5, loadSnapshot: async () => hub.snapshot(), ...options });
  const statuses = [];
  session.on('status', (s) => statuses.push(s));
  await session.open();
  return { session, connection, statuses };
}

/** A hub whose room is the one Ukraine's delegate (a guest) sees: only the items Ukraine is invited to, and their texts. */
export function guestHub(draft) {
  const hub = new FakeHub({ draft });
  const memberSnapshot = hub.snapshot.bind(hub);
  hub.snapshot = () => {
    const s = memberSnapshot();
    const items = s.items.filter((i) => i.guests.includes('UA'));
    return {
      ...s,
      you: { userId: 'me', name: 'Ukraine delegate', role: 'delegate', delegationCode: 'UA', canEditDrafts: false },
      participants: [...s.participants, { delegationCode: 'UA', name: 'Ukraine', kind: 'guest', votes: false }],
      items,
      texts: s.texts.filter((t) => items.some((i) => t.id === `draft:${i.id}`)),
    };
  };
  return hub;
}
