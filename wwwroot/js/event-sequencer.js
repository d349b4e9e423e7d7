// Applies a meeting's events strictly in sequence order (DESIGN.md, "The one rule of state").
// The server sends the events of each group commit as one batch {from, upTo, events}: `from` is where the
// previous batch ended, `upTo` the last number this one covers, and `events` those we may see (a guest's
// batch leaves out events about items it is not invited to, so its numbers skip). A batch that starts at or
// before our last number is applied at once (what we already have is skipped) and moves us to its `upTo`;
// a later one is held, and when a hole is not filled within `gapMs`, we ask for a catch-up
// (GetEventsSince), whose `upTo` moves us past any numbers we may not see.
// No DOM, no SignalR: the caller passes the functions, tests pass fakes.

export class EventSequencer {
  #lastSeq;
  #apply;
  #onGap;
  #gapMs;
  #setTimer;
  #clearTimer;
  /** @type {{from: number, upTo: number, events: object[]}[]} */
  #held = [];
  #timer = null;

  /**
   * @param {{
   *   lastSeq: number,
   *   apply: (event: object) => void,
   *   onGap: () => void,
   *   gapMs?: number,
   *   setTimer?: (fn: () => void, ms: number) => unknown,
   *   clearTimer?: (handle: unknown) => void,
   * }} options
   */
  constructor({ lastSeq, apply, onGap, gapMs = 400, setTimer = setTimeout, clearTimer = clearTimeout }) {
    this.#lastSeq = lastSeq;
    this.#apply = apply;
    this.#onGap = onGap;
    this.#gapMs = gapMs;
    // Called as plain functions: a browser's setTimeout called as a method of this object throws "Illegal invocation".
    this.#setTimer = (fn, ms) => setTimer(fn, ms);
    this.#clearTimer = (handle) => clearTimer(handle);
  }

  /** The sequence number of the last event applied (or skipped past). */
  get lastSeq() { return this.#lastSeq; }

  /** How many batches wait for a hole before them to be filled. */
  get heldCount() { return this.#held.length; }

  /** A live batch {from, upTo, events}. Old ones (already applied) are dropped; early ones are held. */
  receiveBatch(batch) {
    if (!Number.isSafeInteger(batch?.from) || !Number.isSafeInteger(batch?.upTo) || batch.upTo <= this.#lastSeq) return;
    this.#held.push({ from: batch.from, upTo: batch.upTo, events: Array.isArray(batch.events) ? batch.events : [] });
    this.#drain();
  }

  /** One event on its own: a batch that covers just its number. */
  receive(event) {
    const seq = event?.seq;
    if (!Number.isSafeInteger(seq)) return;
    this.receiveBatch({ from: seq - 1, upTo: seq, events: [event] });
  }

  /**
   * The answer of GetEventsSince(lastSeq): apply what we lack, then move to `upTo`, past numbers
   * we may not see. Returns false when the server says to reload the snapshot instead (reset).
   * @param {{events: object[], upTo: number, reset: boolean}} page
   */
  catchUp(page) {
    if (page.reset) return false;
    this.#applyEvents(page.events, page.upTo);
    this.#drain();
    return true;
  }

  /** After a new snapshot: start again from its sequence number, keeping held batches that are newer. */
  reset(lastSeq) {
    this.#lastSeq = lastSeq;
    this.#drain();
  }

  dispose() {
    this.#stopTimer();
    this.#held = [];
  }

  #applyEvents(events, upTo) {
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq > this.#lastSeq) {
        this.#lastSeq = event.seq;
        this.#apply(event);
      }
    }
    if (upTo > this.#lastSeq) this.#lastSeq = upTo;
  }

  #drain() {
    for (;;) {
      this.#held = this.#held.filter((b) => b.upTo > this.#lastSeq);
      let next = null;
      for (const batch of this.#held) {
        if (batch.from <= this.#lastSeq && (next === null || batch.from < next.from)) next = batch;
      }
      if (next === null) break;
      this.#held.splice(this.#held.indexOf(next), 1);
      this.#applyEvents(next.events, next.upTo);
    }
    if (this.#held.length === 0) {
      this.#stopTimer();
    } else if (this.#timer === null) {
      this.#timer = this.#setTimer(() => {
        this.#timer = null;
        if (this.#held.length > 0) this.#onGap();
      }, this.#gapMs);
    }
  }

  #stopTimer() {
    if (this.#timer !== null) {
      this.#clearTimer(this.#timer);
      this.#timer = null;
    }
  }
}
