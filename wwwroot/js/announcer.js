// Tells screen-reader users what others changed, through one polite live region. Announcements queue
// and go out one at a time; editing in a text is announced at most once per person and text every
// `typingQuietMs` (never per keystroke).

export class Announcer {
  #region;
  #queue = [];
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
    const message = this.#queue.shift();
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
