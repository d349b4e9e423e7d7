// Text a person typed that the server did not take (a lock or a freeze refused it, the session ended before
// it was sent): kept in the browser's localStorage, per person, meeting and item, until they dismiss it, so
// that it survives a reload and a new sign-in after a session ended. Signing out removes it (forgetPerson).
// Nothing here leaves the browser.

const PREFIX = 'briefingroom.kept.v1';
/** A bound on what one item keeps: the oldest entries go first beyond it. */
export const MAX_ENTRIES = 20;

/**
 * @typedef {{id: string, documentId: string, text: string, reason: string, at: string, kept: boolean}} KeptText
 *   kept: the person chose "Keep for later" (shown quietly); until then the entry is offered back prominently
 */

export class KeptTexts {
  #storage;
  #memory = new Map();
  /** Keys whose last write the storage refused (full, private mode): this page's copy is the newer one. */
  #unstored = new Set();
  #listeners = new Set();

  /** @param {Storage | null} [storage] localStorage, or null where it is not available (kept in memory only) */
  constructor(storage = safeLocalStorage()) {
    this.#storage = storage;
  }

  /** @returns {KeptText[]} oldest first */
  list(userId, meetingId, itemId) {
    const key = keyOf(userId, meetingId, itemId);
    let raw = this.#memory.get(key) ?? null;
    try {
      if (!this.#unstored.has(key)) raw = this.#storage?.getItem(key) ?? raw;
    } catch {
      // Storage refused (private mode, quota): what is in memory is all there is.
    }
    try {
      const entries = JSON.parse(raw ?? '[]');
      return Array.isArray(entries) ? entries.filter((e) => typeof e?.text === 'string' && typeof e?.id === 'string') : [];
    } catch {
      return [];
    }
  }

  /**
   * Every entry kept for a meeting, whatever its item (with `itemId`): for a page that can no longer show the meeting's
   * items, the person's seat in it withdrawn.
   * @returns {(KeptText & {itemId: number})[]}
   */
  listMeeting(userId, meetingId) {
    const prefix = `${keyOf(userId, meetingId, '')}`;
    return this.#keysStartingWith(prefix).flatMap((key) => {
      const itemId = Number(key.slice(prefix.length));
      return Number.isInteger(itemId) ? this.list(userId, meetingId, itemId).map((e) => ({ ...e, itemId })) : [];
    });
  }

  /** Every entry kept for a person, in any meeting: what a sign-out on this browser would remove. */
  listPerson(userId) {
    return this.#keysStartingWith(personPrefix(userId)).flatMap((key) => {
      const [meetingId, itemId] = key.slice(personPrefix(userId).length).split('.').map(Number);
      return Number.isInteger(meetingId) && Number.isInteger(itemId) ? this.list(userId, meetingId, itemId) : [];
    });
  }

  /**
   * Removes everything kept for a person from this browser (they signed out: on a shared computer, the next person to
   * use it must not read their negotiating texts in its storage).
   */
  forgetPerson(userId) {
    for (const key of this.#keysStartingWith(personPrefix(userId))) {
      this.#memory.delete(key);
      this.#unstored.delete(key);
      try {
        this.#storage?.removeItem(key);
      } catch {
        // Storage refused: nothing more this page can do.
      }
      const [meetingId, itemId] = key.slice(personPrefix(userId).length).split('.').map(Number);
      for (const fn of this.#listeners) fn(meetingId, itemId);
    }
  }

  /** The keys of this page's copies and of the browser's storage that begin with `prefix`. */
  #keysStartingWith(prefix) {
    const keys = new Set([...this.#memory.keys()].filter((k) => k.startsWith(prefix)));
    try {
      for (let i = 0; i < (this.#storage?.length ?? 0); i++) {
        const key = this.#storage.key(i);
        if (key?.startsWith(prefix)) keys.add(key);
      }
    } catch {
      // Storage refused: what is in memory is all there is.
    }
    return [...keys];
  }

  /** Keeps a text; returns its entry (null for an empty text). */
  add(userId, meetingId, itemId, { documentId, text, reason }) {
    if (!text) return null;
    const entry = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      documentId, text, reason: reason ?? '', at: new Date().toISOString(), kept: false,
    };
    this.#write(userId, meetingId, itemId, [...this.list(userId, meetingId, itemId), entry].slice(-MAX_ENTRIES));
    return entry;
  }

  /** "Keep for later": the entry stays, shown quietly under the item. */
  keep(userId, meetingId, itemId, id) {
    this.#write(userId, meetingId, itemId, this.list(userId, meetingId, itemId).map((e) => (e.id === id ? { ...e, kept: true } : e)));
  }

  dismiss(userId, meetingId, itemId, id) {
    this.#write(userId, meetingId, itemId, this.list(userId, meetingId, itemId).filter((e) => e.id !== id));
  }

  /**
   * Hears the changes other tabs of this browser make to the storage (a text kept, kept for later or dismissed in
   * one of them), so that every tab lists the same entries: `target` is the window, whose "storage" event fires for
   * changes made elsewhere, never for this page's own.
   */
  watch(target) {
    target?.addEventListener?.('storage', (event) => this.changedElsewhere(event.key, event.storageArea));
  }

  /** Another tab changed `key` (null: it cleared the storage): this page's copies give way and its listeners redraw. */
  changedElsewhere(key, area = this.#storage) {
    if (area !== this.#storage || (key !== null && !key.startsWith(`${PREFIX}.`))) return;
    const keys = key === null ? [...this.#memory.keys()] : [key];
    for (const changed of keys) {
      this.#memory.delete(changed);
      this.#unstored.delete(changed);
      const [meetingId, itemId] = changed.split('.').slice(-2).map(Number);
      if (Number.isInteger(meetingId) && Number.isInteger(itemId)) for (const fn of this.#listeners) fn(meetingId, itemId);
    }
  }

  /** fn(meetingId, itemId) after every change made through this page, or in another tab of this browser (see watch). */
  subscribe(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #write(userId, meetingId, itemId, entries) {
    const key = keyOf(userId, meetingId, itemId);
    const value = JSON.stringify(entries);
    this.#memory.set(key, value);
    try {
      if (entries.length === 0) this.#storage?.removeItem(key); else this.#storage?.setItem(key, value);
      this.#unstored.delete(key);
    } catch {
      // Kept in memory for this page at least, and listed from there: the stored list is older.
      this.#unstored.add(key);
    }
    for (const fn of this.#listeners) fn(meetingId, itemId);
  }
}

function keyOf(userId, meetingId, itemId) {
  return `${personPrefix(userId)}${meetingId}.${itemId}`;
}

function personPrefix(userId) {
  return `${PREFIX}.${encodeURIComponent(userId)}.`;
}

function safeLocalStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The page's one store, in step with the browser's other tabs. */
export const keptTexts = new KeptTexts();
keptTexts.watch(globalThis.window);
