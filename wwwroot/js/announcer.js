// Tells screen-reader users what others changed, through one polite live region. Announcements queue
// and go out one at a time; editing in a text is announced at most once per person and text every
// `typingQuietMs` (never per keystroke). A burst (a catch-up after a reconnect, a tour de table recorded at speed)
// is not read out for minutes behind the room: past `MAX_WAITING` messages waiting, the older ones are summed up in
// one sentence, and the latest are read.

/** Messages that may wait to be read; more than that, and the older ones are counted instead. */
export const MAX_WAITING = 3;

export class Announcer {
  #region;
  #queue = [];
  /** Messages summed up rather than read, since the last summary. */
  #skipped = 0;
  #timer = null;
  #lastTyping = new Map();
  #typingQuietMs;
  #now;

  /**
   * @param {HTMLElement} region an element with aria-live="polite"
   * @param {{typingQuietMs?: number, now?: () => number}} [options]
   */
  constructor(region, { typingQuietMs = 20_000, now = () => Date.now() } = {}) {
    this.#region = region;
    this.#typingQuietMs = typingQuietMs;
    this.#now = now;
  }

  say(message) {
    if (!message) return;
    this.#queue.push(message);
    if (this.#queue.length > MAX_WAITING) {
      const latest = this.#queue.pop();
      this.#skipped += this.#queue.length;
      this.#queue = [latest];
    }
    if (this.#timer === null) this.#next();
  }

  /** Someone else edits a text: announced once, then not again for that person and text for a while. */
  typing(author, documentLabel) {
    const key = `${author}\u0000${documentLabel}`;
    const now = this.#now();
    const last = this.#lastTyping.get(key);
    this.#lastTyping.set(key, now);
    if (last !== undefined && now - last < this.#typingQuietMs) return;
    this.say(`${author} is editing ${documentLabel}.`);
  }

  #next() {
    let message;
    if (this.#skipped > 0) {
      message = `${this.#skipped} other change${this.#skipped === 1 ? '' : 's'} in the room, not read out one by one: the page shows them.`;
      this.#skipped = 0;
    } else {
      message = this.#queue.shift();
    }
    if (message === undefined) {
      this.#timer = null;
      return;
    }
    // Clearing first makes a repeated identical message count as new for assistive technology.
    this.#region.textContent = '';
    this.#timer = setTimeout(() => {
      this.#region.textContent = message;
      this.#timer = setTimeout(() => this.#next(), 900);
    }, 60);
  }
}
