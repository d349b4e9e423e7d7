// Tells screen-reader users what others changed, through one polite live region. Announcements queue
// and go out one at a time; editing in a text is announced at most once per person and text every
// `typingQuietMs` (never per keystroke). A burst (a catch-up after a reconnect, a tour de table recorded at speed)
// is not read out for minutes behind the room: past `MAX_WAITING` messages waiting, the older ones are summed up in
// one sentence, and the latest are read. Messages of one kind that come together (the proposals an agreement lapses)
// are said in one sentence rather than one after another: see `say`'s `join`.

/**
 * How messages of one kind are said together: `part` is this one's share, `whole(parts)` the sentence for all of them.
 * @typedef {{key: string, part: string, whole: (parts: string[]) => string}} Join
 */

/** Messages that may wait to be read; more than that, and the older ones are counted instead. */
export const MAX_WAITING = 3;

export class Announcer {
  #region;
  /** @type {{text: string, join: Join | null, parts: string[]}[]} */
  #queue = [];
  /** The message about to be read (the region is cleared first): another of its kind still joins it. */
  #reading = null;
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

  /**
   * @param {string | null} message
   * @param {Join | null} [join] a message of a kind said together: while one with the same `key` waits (or is about to
   *   be read), this one's `part` is added to it and the message becomes `whole(parts)`.
   */
  say(message, join = null) {
    if (!message) return;
    const waiting = this.#queue.at(-1) ?? this.#reading;
    if (join && waiting?.join?.key === join.key) {
      waiting.parts.push(join.part);
      waiting.text = join.whole(waiting.parts);
      return;
    }
    this.#queue.push({ text: message, join, parts: join ? [join.part] : [] });
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
    if (this.#skipped > 0) {
      this.#reading = { text: `${this.#skipped} other change${this.#skipped === 1 ? '' : 's'} in the room, not read out one by one: the page shows them.`, join: null, parts: [] };
      this.#skipped = 0;
    } else {
      this.#reading = this.#queue.shift() ?? null;
    }
    if (this.#reading === null) {
      this.#timer = null;
      return;
    }
    // Clearing first makes a repeated identical message count as new for assistive technology.
    this.#region.textContent = '';
    this.#timer = setTimeout(() => {
      this.#region.textContent = this.#reading.text;
      this.#reading = null;
      this.#timer = setTimeout(() => this.#next(), 900);
    }, 60);
  }
}
