// Applies a meeting's events strictly in sequence order (DESIGN.md, "The one rule of state").
// Live events may arrive out of order or not at all; a guest's stream skips the numbers of events
// it may not see. So: apply the next number at once, hold later ones, and when a hole is not filled
// within `gapMs`, ask for a catch-up (GetEventsSince), whose `upTo` moves us past any skipped numbers.
// No DOM, no SignalR: the caller passes the functions, tests pass fakes.

export class EventSequencer {
  #lastSeq;
  #apply;
  #onGap;
  #gapMs;
  #setTimer;
  #clearTimer;
  /** @type {Map<number, object>} */
  #held = new Map();
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
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  /** The sequence number of the last event applied (or skipped past). */
  get lastSeq() { return this.#lastSeq; }

  /** How many events wait for a hole before them to be filled. */
  get heldCount() { return this.#held.size; }

  /** A live event. Old ones (already applied) are dropped; early ones are held. */
  receive(event) {
    const seq = event?.seq;
    if (!Number.isSafeInteger(seq) || seq <= this.#lastSeq) return;
    this.#held.set(seq, event);
    this.#drain();
  }

  /**
   * The answer of GetEventsSince(lastSeq): apply what we lack, then move to `upTo`, past numbers
   * we may not see. Returns false when the server says to reload the snapshot instead (reset).
   * @param {{events: object[], upTo: number, reset: boolean}} page
   */
  catchUp(page) {
    if (page.reset) return false;
    for (const event of [...page.events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq > this.#lastSeq) {
        this.#held.delete(event.seq);
        this.#lastSeq = event.seq;
        this.#apply(event);
      }
    }
    if (page.upTo > this.#lastSeq) this.#lastSeq = page.upTo;
    for (const seq of [...this.#held.keys()]) {
      if (seq <= this.#lastSeq) this.#held.delete(seq);
    }
    this.#drain();
    return true;
  }

  /** After a new snapshot: start again from its sequence number, keeping held events that are newer. */
  reset(lastSeq) {
    this.#lastSeq = lastSeq;
    for (const seq of [...this.#held.keys()]) {
      if (seq <= lastSeq) this.#held.delete(seq);
    }
    this.#drain();
  }

  dispose() {
    this.#stopTimer();
    this.#held.clear();
  }

  #drain() {
    while (this.#held.has(this.#lastSeq + 1)) {
      const event = this.#held.get(this.#lastSeq + 1);
      this.#held.delete(this.#lastSeq + 1);
      this.#lastSeq = event.seq;
      this.#apply(event);
    }
    if (this.#held.size === 0) {
      this.#stopTimer();
    } else if (this.#timer === null) {
      this.#timer = this.#setTimer(() => {
        this.#timer = null;
        if (this.#held.size > 0) this.#onGap();
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
