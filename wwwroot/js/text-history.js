// A co-edited text's history as the server recorded it: the text at revision 0, then every committed edit
// with its author and time, read in pages (GET .../history?since=R&limit=N answers `more` while later edits
// remain). From it: the text at any revision, and who wrote each part of the latest one. No DOM and no
// network of its own: the caller passes the two fetches, so the node tests drive it without a server.

import { TextOperation } from './ot.js';

/** Edits asked for per page; the server may send fewer (it also bounds a page's bytes). */
export const PAGE_SIZE = 500;

/** Texts kept along the way, so that moving the slider replays at most this many edits. */
const CHECKPOINT_EVERY = 100;

/**
 * @typedef {{revision: number, operation: unknown[], clientOpId: string, authorId: string, author: string, at: string, seq: number}} TextEditDto
 * @typedef {{documentId: string, revision: number, edits: TextEditDto[], more?: boolean}} HistoryPage
 * @typedef {{authorId: string | null, author: string | null, from: number, to: number}} AuthorRun
 */

export class TextHistory {
  #fetchPage;
  #fetchRevision;
  /** @type {TextEditDto[]} edit of revision r at index r - 1 */
  #edits = [];
  /** @type {TextOperation[]} */
  #operations = [];
  /** @type {Map<number, string>} */
  #checkpoints = new Map();
  #current = 0;
  #loading = null;

  /**
   * @param {{fetchPage: (since: number, limit: number) => Promise<HistoryPage>,
   *          fetchRevision: (revision: number) => Promise<{revision: number, text: string}>}} source
   */
  constructor({ fetchPage, fetchRevision }) {
    this.#fetchPage = fetchPage;
    this.#fetchRevision = fetchRevision;
  }

  /** True once revision 0 is known (load() has run). */
  get started() { return this.#checkpoints.has(0); }

  /** The last revision whose edit is loaded. */
  get latest() { return this.#edits.length; }

  /** The text's revision as the server last said; more than `latest` while pages are still coming. */
  get current() { return Math.max(this.#current, this.#edits.length); }

  /** @returns {TextEditDto | null} who made revision r, and when (null for 0) */
  edit(revision) {
    return revision >= 1 ? this.#edits[revision - 1] ?? null : null;
  }

  /**
   * Reads revision 0 if not yet read, then every page of edits after the last one loaded.
   * Concurrent calls share one load; a call made while loading runs once more after it.
   * @param {(loaded: number, current: number) => void} [onProgress]
   */
  load(onProgress) {
    if (this.#loading) return this.#loading.then(() => this.load(onProgress));
    this.#loading = this.#load(onProgress).finally(() => { this.#loading = null; });
    return this.#loading;
  }

  async #load(onProgress) {
    if (!this.started) {
      const first = await this.#fetchRevision(0);
      this.#checkpoints.set(0, first.text);
    }
    for (;;) {
      const page = await this.#fetchPage(this.#edits.length, PAGE_SIZE);
      this.#current = Math.max(this.#current, page.revision ?? 0);
      let added = 0;
      for (const edit of page.edits ?? []) {
        if (edit.revision !== this.#edits.length + 1) continue; // already have it, or not the next one
        this.#operations.push(TextOperation.fromJSON(edit.operation));
        this.#edits.push(edit);
        added++;
      }
      onProgress?.(this.#edits.length, this.current);
      // An older server sends no `more`: then the revision it reports tells whether edits remain.
      const more = page.more ?? this.#edits.length < (page.revision ?? 0);
      if (!more || added === 0) return;
    }
  }

  /** The text as it stood at a revision (0: before the first edit), from the nearest text kept before it. */
  textAt(revision) {
    if (!this.started) throw new Error('Load the history first.');
    const target = Math.max(0, Math.min(revision, this.#edits.length));
    let from = target - (target % CHECKPOINT_EVERY);
    while (!this.#checkpoints.has(from)) from -= CHECKPOINT_EVERY;
    let text = this.#checkpoints.get(from);
    for (let r = from + 1; r <= target; r++) {
      text = this.#operations[r - 1].apply(text);
      if (r % CHECKPOINT_EVERY === 0) this.#checkpoints.set(r, text);
    }
    return text;
  }

  /**
   * Who wrote each part of the text at `revision` (the latest loaded by default): consecutive runs, each with
   * the author of the edit that inserted it; the text as it stood at revision 0 has no author.
   * @returns {AuthorRun[]}
   */
  authorship(revision = this.#edits.length) {
    if (!this.started) throw new Error('Load the history first.');
    const target = Math.max(0, Math.min(revision, this.#edits.length));
    /** @type {{length: number, who: number}[]} who: an index into people, -1 for revision 0 */
    let runs = [];
    const initial = this.#checkpoints.get(0).length;
    if (initial > 0) runs.push({ length: initial, who: -1 });
    const people = [];
    const index = new Map();
    for (let r = 1; r <= target; r++) {
      const edit = this.#edits[r - 1];
      let who = index.get(edit.authorId);
      if (who === undefined) {
        who = people.length;
        people.push({ authorId: edit.authorId, author: edit.author });
        index.set(edit.authorId, who);
      }
      runs = applyToRuns(runs, this.#operations[r - 1], who);
    }
    const result = [];
    let at = 0;
    for (const run of runs) {
      const person = run.who >= 0 ? people[run.who] : { authorId: null, author: null };
      result.push({ ...person, from: at, to: at + run.length });
      at += run.length;
    }
    return result;
  }
}

/** The runs of authorship after an operation: retained text keeps its author, inserted text is `who`'s. */
function applyToRuns(runs, operation, who) {
  const out = [];
  const add = (length, author) => {
    if (length <= 0) return;
    const last = out[out.length - 1];
    if (last && last.who === author) last.length += length;
    else out.push({ length, who: author });
  };
  let i = 0;
  let used = 0; // of runs[i]
  const take = (count, keep) => {
    while (count > 0) {
      const run = runs[i];
      const n = Math.min(count, run.length - used);
      if (keep) add(n, run.who);
      used += n;
      count -= n;
      if (used === run.length) { i++; used = 0; }
    }
  };
  for (const component of operation.ops) {
    if (typeof component === 'string') add(component.length, who);
    else if (component > 0) take(component, true);
    else take(-component, false);
  }
  return out;
}

/**
 * Authorship runs carried through an operation on their text: retained text keeps its author, inserted text
 * is `person`'s (the user's own unconfirmed edits, on top of the server's revision).
 * @param {AuthorRun[]} runs
 * @param {TextOperation} operation
 * @param {{authorId: string | null, author: string | null}} person
 * @returns {AuthorRun[]}
 */
export function runsThrough(runs, operation, person) {
  const people = [person];
  const index = new Map([[person.authorId, 0]]);
  const compact = runs.map((run) => {
    let who = index.get(run.authorId);
    if (who === undefined) {
      who = people.length;
      people.push({ authorId: run.authorId, author: run.author });
      index.set(run.authorId, who);
    }
    return { length: run.to - run.from, who };
  });
  const result = [];
  let at = 0;
  for (const run of applyToRuns(compact, operation, 0)) {
    result.push({ ...people[run.who], from: at, to: at + run.length });
    at += run.length;
  }
  return result;
}
