// One meeting, live: the hub connection, the room's state, the event order, and the way back after the
// network drops. The rules it follows are DESIGN.md's: apply events in sequence order, catch up with
// GetEventsSince after a gap or a reconnect (reload the snapshot when told to), and only then send again
// the text edits that were in flight, under the same ids, so the server applies each once.
//
// The connection comes from a factory, so that tests can drive it without a server or a browser.
// Views listen with on(kind, fn): 'status', 'change', 'reload', 'presence', 'caret', 'text-refused', 'texts-orphaned',
// 'signed-out'.
//
// The connection's truth within seconds: the browser's own offline/online events count at once (a page must not
// say "Live" or "Saving…" over a link the browser knows is down), and a server that has said nothing for
// SILENCE_MS counts as gone (its pings, RealtimeSetup.KeepAliveInterval, come about once a second) until it is
// heard again. Only after SERVER_TIMEOUT_MS does SignalR drop the socket and reconnect: a server that is merely
// slow for a few seconds is shown as such, without every page reconnecting at once.

import { DocumentIds, EventTypes, HubMethods, HubEvents } from './hub-names.js';
import { EventSequencer } from './event-sequencer.js';
import { RoomState } from './room-state.js';
import { Api } from './api.js';
import { SilenceApi, newerSilence } from './silence.js';

/** A server silent this long is shown as offline (edits wait); it pings an idle connection about once a second. */
export const SILENCE_MS = 2500;
/** A server silent this long is given up: SignalR closes the socket and reconnects. */
export const SERVER_TIMEOUT_MS = 10_000;

/**
 * Calls `connection.onheard` on every frame the server sends, pings included. SignalR keeps the server's pings to
 * itself; its transport hands every frame to `onreceive`, which the hub connection sets once when it is built. Hearing
 * each frame lets the room say "offline" within SILENCE_MS.
 */
export function hearEveryFrame(connection) {
  const transport = connection.connection;
  if (transport && typeof transport.onreceive === 'function') {
    const deliver = transport.onreceive;
    transport.onreceive = (data) => {
      connection.onheard?.();
      deliver(data);
    };
  }
}

export const ConnectionStatus = Object.freeze({
  Connecting: 'connecting',
  Online: 'online',
  Reconnecting: 'reconnecting',
  Syncing: 'syncing',
  /** Reconnected and caught up: the banner says so for a moment. */
  Back: 'back',
});

/** The words of a hub refusal ("Title: detail"), or null when the error is the connection's, not the server's. */
export function refusalOf(error) {
  const message = String(error?.message ?? '');
  const at = message.indexOf('HubException: ');
  return at >= 0 ? message.slice(at + 'HubException: '.length) : null;
}

/**
 * Whether a failed call is worth making again: not a refusal at all (the connection dropped, or the server failed in
 * a way of its own), or a refusal that says "not now" (the meeting is busy or moving, we sent too much at once, or the
 * person has too many connections open until one closes).
 */
export function isWorthRetrying(error) {
  const refusal = refusalOf(error);
  return refusal === null || /^(Busy|Too many requests|Too many connections):/.test(refusal);
}

/** How long to wait before the `attempt`-th retry of something the server could not do just now: 1, 2, 4, then 8 s. */
export function retryDelayMs(attempt) {
  return Math.min(1000 * 2 ** attempt, 8000);
}

/** The events that may take an item, and its texts, off the page. */
const TakesItemsAway = new Set([EventTypes.ItemDeleted, EventTypes.ItemHidden, EventTypes.ItemUpdated]);

export class RoomSession {
  #meetingId;
  #createConnection;
  #connection = null;
  /** @type {RoomState | null} */
  #state = null;
  /** @type {EventSequencer | null} */
  #sequencer = null;
  #early = [];
  #listeners = new Map();
  #status = ConnectionStatus.Connecting;
  #focus = null;
  #catchingUp = null;
  #catchUpAgain = false;
  /** Failed tries in a row, for the wait before the next: catch-ups, and the way back after a reconnect. */
  #catchUpFailures = 0;
  #resyncFailures = 0;
  /** Back over the same socket and not yet caught up: the catch-up that succeeds sends what waited and says "back". */
  #backWhenCaughtUp = false;
  #sentOnThisConnection = new Set();
  #closed = false;
  /** The seat changed: the next join is followed by the room loaded whole, not by the events since (some were not ours). */
  #reloadOnRejoin = false;
  #options;
  /** Who we are in this meeting, as the last JoinMeeting said. */
  #you = null;
  /** Who is in the room, by user id, as the presence deltas built it. */
  #people = new Map();
  /** The browser says it has no network: nothing is sent, whatever the socket believes. */
  #browserOffline = false;
  #unwatchNetwork = null;
  /** Nothing heard from the server for SILENCE_MS, though the socket is open. */
  #silent = false;
  #lastHeard = 0;
  #hearsPings = false;
  #watchdog = null;

  /**
   * @param {number} meetingId
   * @param {() => object} createConnection a SignalR HubConnection, or a fake with the same surface
   * @param {{newClientOpId?: () => string, gapMs?: number, retryStartMs?: (attempt: number) => number,
   *          retryMs?: (attempt: number) => number,
   *          probeSignedIn?: () => Promise<boolean>, loadSnapshot?: (meetingId: number) => Promise<object>,
   *          loadSilences?: (meetingId: number) => Promise<object[]>,
   *          network?: {online: () => boolean, watch: (onOffline: () => void, onOnline: () => void) => () => void}}} [options]
   *   network: the browser's view of the network (navigator.onLine and its events, by default)
   *   retryMs: the wait before a call the server could not take just now is made again (1, 2, 4, 8 s by default)
   */
  constructor(meetingId, createConnection, options = {}) {
    this.#meetingId = meetingId;
    this.#createConnection = createConnection;
    this.#options = options;
  }

  get state() { return this.#state; }
  get status() { return this.#status; }
  get meetingId() { return this.#meetingId; }
  get lastSeq() { return this.#sequencer?.lastSeq ?? 0; }
  get connected() { return this.#connection?.state === 'Connected' && !this.#browserOffline && !this.#silent; }

  /** What the user typed that the server has not confirmed, text by text (for keeping when the session ends). */
  unsaved() {
    if (!this.#state) return [];
    return this.#unsavedTexts().map(({ shared }) => ({ documentId: shared.id, text: shared.unsavedText }));
  }

  /**
   * Waits until every edit of ours to `documentId` is confirmed by the server, so that what the server does next with
   * the text (save it as a version) holds what the user sees: true at once when nothing is pending, or when the last
   * acknowledgement arrives; false when one was refused, the text left the page, or `timeoutMs` passed first.
   * @param {string} documentId
   * @param {number} [timeoutMs]
   * @returns {Promise<boolean>}
   */
  settled(documentId, timeoutMs = 30_000) {
    // true or false once it is known, null while our edits wait for their acknowledgement.
    const answer = () => {
      const shared = this.#state?.texts.get(documentId);
      if (!shared) return false;
      return shared.hasPending ? null : true;
    };
    const now = answer();
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve) => {
      const stops = [];
      const done = (value) => {
        clearTimeout(timer);
        for (const stop of stops) stop();
        resolve(value);
      };
      const check = () => {
        const known = answer();
        if (known !== null) done(known);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      stops.push(this.on('change', check), this.on('reload', check),
        this.on('text-refused', (refused) => { if (refused.documentId === documentId) done(false); }),
        this.on('signed-out', () => done(false)));
    });
  }

  on(kind, fn) {
    if (!this.#listeners.has(kind)) this.#listeners.set(kind, new Set());
    this.#listeners.get(kind).add(fn);
    return () => this.#listeners.get(kind)?.delete(fn);
  }

  /** Connects (retrying until the server answers), joins the meeting and loads its snapshot. */
  async open() {
    const connection = this.#createConnection();
    this.#connection = connection;
    // Every frame from the server, pings included (app.js wires this to SignalR's transport).
    connection.onheard = () => this.#heard();
    connection.on(HubEvents.MeetingEvents, (batch) => this.#receive(batch));
    connection.on(HubEvents.PresenceChanged, (p) => this.#presenceChanged(p));
    // Sent to the meeting's inviters alone (an invitation holds an address, the room never sees one); an administrator
    // hears it of every meeting, so only this one's counts.
    connection.on(HubEvents.InvitationsChanged, (meetingId) => {
      if (meetingId === this.#meetingId && !this.#closed) this.#emit('invitations');
    });
    // Meant for the meetings page, which this is not: heard, so that SignalR does not warn of a message nobody takes.
    connection.on(HubEvents.MeetingsChanged, () => {});
    connection.on(HubEvents.CaretsMoved, (carets) => {
      for (const c of Array.isArray(carets) ? carets : []) this.#emit('caret', c);
    });
    // Taken out of the room's groups (the seat revoked or changed), the page would hear nothing more and go on showing
    // the room as it stood: join again, which is refused when the seat is gone, and load the room as the new seat sees it.
    connection.on(HubEvents.SeatChanged, (meetingId) => {
      if (meetingId !== this.#meetingId || this.#closed || !this.#state) return;
      this.#reloadOnRejoin = true;
      this.#resync();
    });
    // An automatic reconnect turned away for too many connections (another tab or device took the place meanwhile) says
    // why, as a first connection does: SignalR's retries otherwise show only "Reconnecting".
    connection.onretryfailed = (error) => {
      const tooMany = this.#closed ? null : tooManyConnections(error);
      if (tooMany) this.#emit('too-many-connections', tooMany);
    };
    connection.onreconnecting(() => {
      this.#sentOnThisConnection.clear();
      this.#setStatus(ConnectionStatus.Reconnecting);
    });
    connection.onreconnected(() => this.#resync());
    connection.onclose(() => {
      if (!this.#closed) this.#restart();
    });

    // The room comes over HTTP while the WebSocket connects: it needs our session, not the join. What is committed
    // between the two is caught up after the join, as any gap is. Should this early load fail, it is loaded again.
    const early = this.#fetchSnapshot();
    early.catch(() => {});
    await this.#startWithRetry();
    const { snapshot, behind } = await this.#firstJoin(early);
    // Left while it opened: no room, no watchdog and no listeners for a page that shows something else now.
    if (this.#closed) throw new Error('The meeting was left while it opened.');
    this.#state = new RoomState(snapshot, { newClientOpId: this.#options.newClientOpId });
    this.#sequencer = new EventSequencer({
      lastSeq: snapshot.seq,
      apply: (e) => this.#apply(e),
      onGap: () => { this.catchUp(); },
      gapMs: this.#options.gapMs,
    });
    for (const batch of this.#early.splice(0)) this.#sequencer.receiveBatch(batch);
    this.#watchNetwork();
    this.#lastHeard = this.#now();
    this.#watchdog = setInterval(() => this.#checkSilence(), Math.min(500, SILENCE_MS / 2));
    this.#watchdog.unref?.(); // under Node (tests), a watchdog alone must not keep the process running
    this.#setStatus(this.#browserOffline ? ConnectionStatus.Reconnecting : ConnectionStatus.Online);
    // The room loaded is older than our place in the group: fetch the events in between now, not after a gap's wait.
    if (behind) this.catchUp();
    return this.#state;
  }

  async close() {
    this.#closed = true;
    this.#unwatchNetwork?.();
    clearInterval(this.#watchdog);
    this.#sequencer?.dispose();
    const connection = this.#connection;
    if (!connection) return;
    // No LeaveMeeting first: the connection's close takes it out of the room (presence, groups, the grain), and a call
    // more would hold the next screen back as long as a slow server takes to answer it.
    await closeConnection(connection, this.connected);
  }

  /** Tells the others which item this page shows (null: the agenda). Sent again after every reconnect. */
  focus(itemId) {
    this.#focus = itemId ?? null;
    if (this.connected) this.#connection.send(HubMethods.Focus, this.#meetingId, this.#focus).catch(() => {});
  }

  /** Shows our caret to the others; dropped while offline (a caret is volatile). */
  moveCaret(documentId, revision, anchor, head) {
    if (!this.connected) return;
    this.#connection.send(HubMethods.MoveCaret, this.#meetingId, { documentId, revision, anchor, head }).catch(() => {});
  }

  /**
   * The user edited a text: `operation` (an OT TextOperation, from the editor's transaction) on the text as
   * this page shows it. Sends now when nothing is in flight and we are online; otherwise the OT client holds
   * the edit until the ack, or until we are back.
   */
  edit(documentId, operation) {
    const request = this.#state.text(documentId).apply(operation);
    if (request) this.#submit(request);
  }

  /**
   * Asks for the events after the last one applied. One at a time; a request made meanwhile runs after. One that
   * fails while the connection is up (the server busy, or the room not loaded) is asked again after a wait: the gap
   * that called for it does not call twice.
   */
  catchUp() {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      let again = false;
      try {
        do {
          this.#catchUpAgain = false;
          if (!this.connected) return;
          const page = await this.#eventsSince();
          if (!page || !this.#sequencer.catchUp(page)) await this.#reload(await this.#loadSnapshot());
        } while (this.#catchUpAgain);
        this.#catchUpFailures = 0;
        this.#caughtUp();
      } catch (error) {
        // Offline again: the reconnect will catch up. Still connected: the server could not answer just now.
        again = this.connected && isWorthRetrying(error);
      } finally {
        this.#catchingUp = null;
      }
      if (again) this.#later(this.#catchUpFailures++, () => this.catchUp());
    })();
    return this.#catchingUp;
  }

  /**
   * The events after the last one applied; null when the meeting has not reached our number (restored from a backup,
   * or commits lost to a power cut): not a "no", but a room to load again as the server has it.
   */
  async #eventsSince() {
    try {
      return await this.#connection.invoke(HubMethods.GetEventsSince, this.#meetingId, this.#sequencer.lastSeq);
    } catch (error) {
      if (/^The request is not valid: The meeting has not reached sequence number /.test(refusalOf(error) ?? '')) return null;
      throw error;
    }
  }

  /**
   * A presence delta (or, after a join, the whole room): kept whole here, and handed to the views as a list, with the
   * connections that closed or turned to another item since the last one (their carets go).
   */
  #presenceChanged(p) {
    if (p?.meetingId !== this.#meetingId) return;
    if (p.full) this.#people.clear();
    for (const userId of p.left ?? []) this.#people.delete(userId);
    for (const user of p.users ?? []) this.#people.set(user.userId, user);
    this.#emit('presence', { users: this.people, gone: new Set(Array.isArray(p.gone) ? p.gone : []) });
  }

  /** Who is in the room now, by name: the whole room comes as the connection joins, often before the room has loaded. */
  get people() {
    return [...this.#people.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #receive(batch) {
    if (batch?.meetingId !== this.#meetingId) return;
    if (this.#sequencer) this.#sequencer.receiveBatch(batch); else this.#early.push(batch);
  }

  /**
   * The first join and room, asked again while the answer is "not now" (busy, too many requests, the connection lost
   * on the way, a room that could not be built just now) as the way back after a drop is: the page would otherwise
   * stay on "Could not open the meeting: … try again in a moment". A "no" (not a member, no such meeting) fails at once.
   * A connection lost meanwhile comes back by itself (SignalR's reconnect, or #restart), and the next attempt uses it.
   */
  async #firstJoin(early) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#joinAndLoad(early);
      } catch (error) {
        const refused = typeof error?.status === 'number' ? error.status < 500 && error.status !== 429 : !isWorthRetrying(error);
        if (refused || this.#closed) throw error;
        // Turned away by the hub itself (two connections past the negotiation's check together): said as at the negotiation.
        const tooMany = tooManyConnections(error);
        if (tooMany) this.#emit('too-many-connections', tooMany);
        early = Promise.reject(error);
        early.catch(() => {});
        // Not #later: the opening waits on this timer, so it may keep a process (Node, in tests) running.
        await new Promise((resolve) => { setTimeout(resolve, this.#retryWait(attempt)); });
      }
    }
  }

  /**
   * Joins the meeting's group, and takes the room loaded meanwhile (`early`), or loads it now. Who we are comes with
   * the join. `behind`: the room is older than the sequence number we joined at, so events between the two will not
   * come live and must be fetched.
   */
  async #joinAndLoad(early) {
    const joined = await this.#connection.invoke(HubMethods.JoinMeeting, this.#meetingId);
    if (joined?.you) this.#you = joined.you;
    const fetched = await early.catch(() => null);
    const snapshot = fetched ? this.#withYou(fetched) : await this.#loadSnapshot();
    return { snapshot, behind: typeof joined?.seq === 'number' && snapshot.seq < joined.seq };
  }

  #fetchSnapshot() {
    return (this.#options.loadSnapshot ?? Api.snapshot)(this.#meetingId);
  }

  async #loadSnapshot() {
    return this.#withYou(await this.#fetchSnapshot());
  }

  #withYou(snapshot) {
    return this.#you ? { ...snapshot, you: this.#you } : snapshot;
  }

  #apply(event) {
    let change;
    // Only these take an item off the page (deleted, or no longer shared with a guest's delegation).
    const unsaved = TakesItemsAway.has(event?.type) ? this.#unsavedTexts() : null;
    try {
      change = this.#state.apply(event);
    } catch (error) {
      // An event this page cannot apply must not stop the ones after it; a reload brings the truth back.
      console.error('BriefingRoom: could not apply event', event?.seq, event?.type, error);
      return;
    }
    if (unsaved) this.#keepOrphaned(unsaved, event.type === EventTypes.ItemDeleted ? 'removed' : 'unshared');
    if (change.text) this.#afterTextEvent(change.documentId, change.text);
    this.#emit('change', change);
    // What a guest may see of an item changed (the chair opened or closed its positions): the snapshot says what now.
    if (change.reloadSnapshot) this.#reloadRoom();
  }

  /**
   * Loads the room again (a guest invited to an item, or shown its positions: no event carries what is now theirs). One
   * that fails is asked again after a wait, or the item would stay on the page with an empty draft until its next edit.
   */
  #reloadRoom(attempt = 0) {
    this.#loadSnapshot().then((snapshot) => this.#reload(snapshot)).catch((error) => {
      const refused = typeof error?.status === 'number' && error.status < 500 && error.status !== 429;
      if (!refused && !this.#closed) this.#later(attempt, () => this.#reloadRoom(attempt + 1));
    });
  }

  #afterTextEvent(documentId, result) {
    if (result.kind === 'ack' && result.send) this.#submit(result.send);
    if (result.kind === 'out-of-order') this.#replayHistory(documentId).catch(() => {});
  }

  #submit(request, attempt = 0) {
    if (!this.connected) return;
    this.#sentOnThisConnection.add(request.clientOpId);
    this.#connection.invoke(HubMethods.SubmitOperation, this.#meetingId, request).catch((error) => {
      const shared = this.#state.texts.get(request.documentId);
      if (!shared || shared.inFlightOpId !== request.clientOpId) return;
      if (isWorthRetrying(error)) {
        // Not a "no": the connection dropped (the reconnect sends it again), or the server could not take it just now
        // (busy, too many requests, an error of its own). The same edit goes again, under the same id, so that the
        // server applies it once, unless the reconnect has sent it meanwhile.
        this.#sentOnThisConnection.delete(request.clientOpId);
        this.#later(attempt, () => {
          if (!this.connected || shared.inFlightOpId !== request.clientOpId || this.#sentOnThisConnection.has(request.clientOpId)) return;
          const again = shared.resend();
          if (again) this.#submit(again, attempt + 1);
        });
        return;
      }
      const refusal = refusalOf(error);
      const lost = shared.unsavedText;
      const back = shared.discardPending();
      this.#emit('text-refused', { documentId: request.documentId, message: refusal, operation: back, lost });
    });
  }

  /** The texts holding typing the server has not confirmed, with the item each belongs to, as the page has them now. */
  #unsavedTexts() {
    const unsaved = [];
    for (const shared of this.#state.texts.values()) {
      if (!shared.hasPending || !shared.unsavedText) continue;
      const item = this.#state.items.get(DocumentIds.parse(shared.id)?.itemId);
      unsaved.push({ shared, item });
    }
    return unsaved;
  }

  /**
   * Texts of those that went from the page with their item (deleted, or no longer shared with this delegation): what
   * was typed in them was never saved and will never be, so it is handed to the views to keep ('texts-orphaned'),
   * rather than lost without a word. `cause`: 'removed' (deleted), 'unshared' (no longer shared with this guest
   * delegation) or 'gone' (not in a reloaded room).
   */
  #keepOrphaned(unsaved, cause) {
    const gone = unsaved.filter(({ shared }) => this.#state.texts.get(shared.id) !== shared);
    if (gone.length === 0) return;
    this.#emit('texts-orphaned', gone.map(({ shared, item }) => ({
      documentId: shared.id, text: shared.unsavedText, itemId: item?.id ?? null, number: item?.number ?? null, title: item?.title ?? '', cause,
    })));
  }

  /** Feeds a text's committed edits after our revision through its OT client (acks for our own), page by page. */
  async #replayHistory(documentId) {
    const shared = this.#state.texts.get(documentId);
    if (!shared) return;
    for (;;) {
      const from = shared.revision;
      const page = await this.#connection.invoke(HubMethods.GetTextHistory, this.#meetingId, documentId, from);
      for (const edit of page.edits) {
        const result = shared.receive(edit);
        if (result.kind === 'ack' || result.kind === 'remote') this.#state.proposals.advanceWire(documentId, edit.revision, edit.operation);
        if (result.kind === 'ack' && result.send) this.#submit(result.send);
        if (result.kind !== 'stale') {
          this.#emit('change', { type: 'history', itemId: null, scopes: new Set(['text']), announce: null, own: false, documentId, text: result, author: edit.author, note: edit.note ?? null });
        }
      }
      // A server that pages says `more`; one that does not sends all it will in one answer.
      if (!page.more || shared.revision === from) return;
    }
  }

  async #reload(snapshot) {
    // The silence procedures are not in the room: a reload after a reset skipped their events, so a procedure
    // cancelled, broken or opened meanwhile is read again, or the item stays frozen (or open) as it was.
    const silences = await this.#loadSilences();
    // A room read before events this page has already applied (a guest's reload answered late): those events are
    // fetched again after it, so that the page never goes back in time.
    const behind = snapshot.seq < this.#sequencer.lastSeq;
    const unsaved = this.#unsavedTexts();
    const pending = this.#state.load(snapshot);
    for (const silence of silences) {
      this.#state.silences.set(silence.itemId, newerSilence(this.#state.silences.get(silence.itemId), silence));
    }
    this.#keepOrphaned(unsaved, 'gone');
    this.#sequencer.reset(snapshot.seq);
    this.#emit('reload', this.#state);
    for (const documentId of pending) await this.#replayHistory(documentId);
    if (behind) this.catchUp();
  }

  /** The meeting's silence procedures, for members (guests take no part); none when they cannot be read now. */
  async #loadSilences() {
    const you = this.#state.you;
    const guest = you?.delegationCode != null && this.#state.participants.get(you.delegationCode)?.kind === 'guest' && you.role !== 'chair';
    if (guest) return [];
    try {
      const all = await (this.#options.loadSilences ?? SilenceApi.list)(this.#meetingId);
      return Array.isArray(all) ? all.filter((s) => s && typeof s.itemId === 'number') : [];
    } catch {
      return [];
    }
  }

  /** After the connection came back: join again (groups are per connection), catch up, then resend. */
  async #resync() {
    // Not yet open: the first join is still under way, and asks again on this connection itself (#firstJoin).
    if (!this.#state) return;
    this.#backWhenCaughtUp = false;
    this.#silent = false;
    this.#lastHeard = this.#now();
    this.#setStatus(ConnectionStatus.Syncing);
    try {
      const joined = await this.#connection.invoke(HubMethods.JoinMeeting, this.#meetingId);
      // The browser came back signed in as another person (signed out, and in as them, in another tab): what we had not
      // saved must not go under their name. The page leaves the room, and keeps it for us.
      const before = this.#state?.you?.userId;
      if (joined?.you && before && joined.you.userId !== before) {
        this.#emit('signed-out', 'This browser is now signed in as someone else (in another tab): nothing left unsaved in the room was sent under the new name.');
        return;
      }
      if (joined?.you) this.#you = joined.you;
      // A seat changed while the connection was down: its SeatChanged went to the connection that was gone, and the
      // events since are those the new seat may see, applied to a room the old one saw. Load the room as it sees it.
      if (joined?.you && seatOf(joined.you) !== seatOf(this.#state?.you)) this.#reloadOnRejoin = true;
      if (this.#reloadOnRejoin) {
        await this.#reload(await this.#loadSnapshot());
        this.#reloadOnRejoin = false;
      } else {
        const page = await this.#eventsSince();
        if (!page || !this.#sequencer.catchUp(page)) await this.#reload(await this.#loadSnapshot());
      }
      await this.#catchingUp;
      this.#resyncFailures = 0;
      // An invitation sent or withdrawn while the connection was down was told (InvitationsChanged) to the one that was
      // gone, and is in no event the catch-up brings: the inviters' list is read again.
      this.#emit('invitations');
      this.#resendPending();
      this.focus(this.#focus);
      this.#setStatus(this.#browserOffline ? ConnectionStatus.Reconnecting : ConnectionStatus.Back);
    } catch (error) {
      if (!isWorthRetrying(error)) {
        // The server answered but would not let us in again (membership revoked, signed out).
        this.#emit('signed-out', refusalOf(error));
      } else if (this.connected && !this.#closed) {
        // Connected, but the server could not answer just now, or the room did not load: the whole way back again.
        this.#later(this.#resyncFailures++, () => this.#resync());
      }
      // Otherwise the connection dropped again; onreconnecting / onclose take it from here.
    }
  }

  /** Runs `fn` after the wait for a call's `attempt`-th retry, unless the page has closed meanwhile. */
  #later(attempt, fn) {
    const timer = setTimeout(() => { if (!this.#closed) fn(); }, this.#retryWait(attempt));
    timer.unref?.(); // under Node (tests), a pending retry alone must not keep the process running
  }

  /** How long to wait before a call's `attempt`-th retry. */
  #retryWait(attempt) {
    return this.#options.retryMs?.(attempt) ?? retryDelayMs(attempt);
  }

  #watchNetwork() {
    const network = this.#options.network ?? browserNetwork();
    if (!network || this.#unwatchNetwork) return;
    this.#browserOffline = !network.online();
    this.#unwatchNetwork = network.watch(() => this.#browserWentOffline(), () => this.#browserCameOnline());
  }

  #browserWentOffline() {
    if (this.#closed || this.#browserOffline) return;
    this.#browserOffline = true;
    this.#setStatus(ConnectionStatus.Reconnecting);
  }

  /**
   * The socket may have lived through a short drop: then catch up and send what waited. If it died, SignalR's
   * reconnect is under way and #resync follows it.
   */
  async #browserCameOnline() {
    if (!this.#browserOffline) return;
    this.#browserOffline = false;
    await this.#backOverTheSameSocket();
  }

  #now() {
    return this.#options.now?.() ?? Date.now();
  }

  #heard() {
    this.#hearsPings = true;
    this.#lastHeard = this.#now();
    if (this.#silent) {
      this.#silent = false;
      this.#backOverTheSameSocket();
    }
  }

  #checkSilence() {
    if (this.#closed || this.#silent || !this.#hearsPings || this.#connection?.state !== 'Connected') return;
    if (this.#now() - this.#lastHeard <= SILENCE_MS) return;
    this.#silent = true;
    this.#setStatus(ConnectionStatus.Reconnecting);
  }

  async #backOverTheSameSocket() {
    if (this.#closed || !this.connected || !this.#state) return;
    this.#setStatus(ConnectionStatus.Syncing);
    // Not "back" until a catch-up succeeds: one that failed (the server busy) is asked again, and that one says it.
    this.#backWhenCaughtUp = true;
    await this.catchUp();
  }

  #caughtUp() {
    if (!this.#backWhenCaughtUp || !this.connected) return;
    this.#backWhenCaughtUp = false;
    this.#resendPending();
    this.focus(this.#focus);
    this.#setStatus(ConnectionStatus.Back);
  }

  #resendPending() {
    for (const shared of this.#state.texts.values()) {
      if (shared.hasPending && !this.#sentOnThisConnection.has(shared.inFlightOpId)) {
        const request = shared.resend();
        if (request) this.#submit(request);
      }
    }
  }

  /** The automatic reconnect gave up (or never started): start again, as long as the page is open. */
  async #restart() {
    this.#sentOnThisConnection.clear();
    this.#setStatus(ConnectionStatus.Reconnecting);
    await this.#startWithRetry();
    await this.#resync();
  }

  async #startWithRetry() {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        await this.#connection.start();
        return;
      } catch (error) {
        // Turned away for holding too many connections (tabs and devices together): the person must know, and close one.
        const tooMany = tooManyConnections(error);
        if (tooMany) this.#emit('too-many-connections', tooMany);
        if (attempt >= 1 && this.#options.probeSignedIn && !(await this.#options.probeSignedIn())) {
          this.#emit('signed-out', 'Your session has ended. Sign in again.');
        }
        const wait = this.#options.retryStartMs?.(attempt) ?? Math.min(500 * 2 ** attempt, 5000);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  #setStatus(status) {
    this.#status = status;
    this.#emit('status', status);
  }

  #emit(kind, value) {
    for (const fn of this.#listeners.get(kind) ?? []) {
      try {
        fn(value);
      } catch (error) {
        console.error(`BriefingRoom: a '${kind}' listener failed`, error);
      }
    }
  }
}

/**
 * Closes a hub connection so that the next screen's may open at once: the server is asked first to stop counting it
 * toward the person's connection limit (and closes it then). Stopped from this side only, the server could still be
 * counting it as the next screen's connection arrived, and turn that one away at a limit of one.
 */
export async function closeConnection(connection, reachable = connection.state === 'Connected') {
  if (reachable) {
    let timer;
    try {
      // A server that does not answer holds the next screen back two seconds at most.
      await Promise.race([
        connection.invoke(HubMethods.CloseConnection),
        new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_WAIT_MS); }),
      ]);
    } catch {
      // The server closes it as it answers (the answer may be lost with it), or it was closing already.
    } finally {
      clearTimeout(timer);
    }
  }
  await connection.stop();
}

const CLOSE_WAIT_MS = 2000;

/**
 * The server's words when it turned a connection away for holding too many (429 at the negotiation, with a problem
 * detail, which the SignalR client puts in its error's message as text; or the hub's own refusal once connected, when
 * two connections passed the negotiation's check together), else null.
 */
export function tooManyConnections(error) {
  const refusal = refusalOf(error);
  if (refusal?.startsWith('Too many connections:')) return refusal;
  const message = String(error?.message ?? '');
  if (!message.includes("Status code '429'")) return null;
  const detail = /"detail":"((?:[^"\\]|\\.)*)"/.exec(message);
  try {
    if (detail) return JSON.parse(`"${detail[1]}"`);
  } catch {
    // Not the problem detail we know: the general words below.
  }
  return 'Too many connections: you have BriefingRoom open in too many tabs or devices. Close one and try again.';
}

/** navigator.onLine and the window's offline/online events, where there is a browser. */
function browserNetwork() {
  const w = globalThis.window;
  if (!w?.addEventListener || !globalThis.navigator || typeof globalThis.navigator.onLine !== 'boolean') return null;
  return {
    online: () => globalThis.navigator.onLine,
    watch(onOffline, onOnline) {
      w.addEventListener('offline', onOffline);
      w.addEventListener('online', onOnline);
      return () => {
        w.removeEventListener('offline', onOffline);
        w.removeEventListener('online', onOnline);
      };
    },
  };
}

/**
 * A `you` answer as a seat: the person, role, delegation and rights, whatever the order of its fields, leaving out the
 * name it shows. Two answers with the same seat load the same room and lay it out the same way.
 */
export function seatOf(you) {
  if (!you) return null;
  const { name, ...seat } = you;
  return JSON.stringify(Object.keys(seat).sort().map((k) => [k, seat[k]]));
}
