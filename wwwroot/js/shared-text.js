// One co-edited text on the page: its local value, the OT client that tracks what the server has
// confirmed, and a shadow of the server's text at that revision (so that a refused operation can be
// rolled back to what everybody else sees). No DOM and no network: the caller sends what it returns.
// The editor hands over each of the user's edits as an operation (apply); edit(newText) diffs a whole new
// value, for callers that only know the text.

import { TextOperation } from './ot.js';
import { OtClient } from './ot-client.js';
import { diffSpan, operationFromEdit } from './text-diff.js';

/**
 * @typedef {{documentId: string, baseRevision: number, clientOpId: string, operation: unknown[]}} OperationRequest
 * @typedef {{revision: number, operation: unknown[], clientOpId: string, author?: string, authorId?: string}} ServerEdit
 * @typedef {{kind: 'stale'} | {kind: 'ack', send: OperationRequest | null}
 *   | {kind: 'remote', operation: TextOperation, author: string | undefined, authorId: string | undefined}
 *   | {kind: 'out-of-order', expected: number}} EditResult
 */

/** How many of the latest committed operations a text keeps, to move a caret stamped with an earlier revision. */
export const RECENT_OPERATIONS = 200;

export class SharedText {
  #id;
  #text;
  #serverText;
  #client;
  #newClientOpId;
  /** The latest committed operations, oldest first: each takes the server's text from `revision - 1` to `revision`. */
  #recent = [];

  /**
   * @param {string} id the document id, e.g. "draft:3"
   * @param {string} text the text at `revision`
   * @param {number} revision
   * @param {{newClientOpId?: () => string}} [options]
   */
  constructor(id, text, revision, options = {}) {
    this.#id = id;
    this.#newClientOpId = options.newClientOpId;
    this.#reset(text, revision);
  }

  get id() { return this.#id; }

  /** What this page shows: the server's text with our unconfirmed edits on top. */
  get text() { return this.#text; }

  /** The server's text as of `revision`, without our unconfirmed edits. */
  get serverText() { return this.#serverText; }

  get revision() { return this.#client.revision; }

  /** True while some of our edits are not yet confirmed by the server. */
  get hasPending() { return this.#client.inFlight !== null; }

  /** True while some of our edits wait for the one in flight to be confirmed before they go. */
  get hasBuffered() { return this.#client.buffer !== null; }

  get inFlightOpId() { return this.#client.inFlightOpId; }

  /** Our unconfirmed operations in order (in flight, then buffered): they take `serverText` to `text`. */
  get pendingOperations() { return [this.#client.inFlight, this.#client.buffer].filter((op) => op !== null); }

  /**
   * What the user typed that the server has not confirmed: the span of the text shown that differs from the
   * server's ('' when nothing is pending or the pending edits only delete). Offered back when it is refused.
   */
  get unsavedText() {
    if (!this.hasPending) return '';
    return diffSpan(this.#serverText, this.#text).inserted;
  }

  /**
   * The user changed the text to newText.
   * @param {string} newText
   * @param {number} [caret] the caret in newText, to place the edit as the user made it
   * @returns {OperationRequest | null} what to send now
   */
  edit(newText, caret) {
    const operation = operationFromEdit(this.#text, newText, caret);
    if (operation === null) return null;
    this.#text = newText;
    return this.#request(this.#client.applyLocal(operation));
  }

  /**
   * The user made this edit to the text shown (an editor transaction, as an operation on `text`).
   * @param {TextOperation} operation
   * @returns {OperationRequest | null} what to send now
   */
  apply(operation) {
    if (operation.baseLength !== this.#text.length) {
      throw new RangeError(`The edit was made on a text of ${operation.baseLength} characters, but ${this.#id} has ${this.#text.length}.`);
    }
    if (operation.isNoop()) return null;
    this.#text = operation.apply(this.#text);
    return this.#request(this.#client.applyLocal(operation));
  }

  /**
   * A committed edit from the server, from a text.edited event or the text's history, in revision order.
   * Our own edit (same client op id as the one in flight) is the acknowledgement.
   * @param {ServerEdit} edit
   * @returns {EditResult}
   */
  receive(edit) {
    const expected = this.#client.revision + 1;
    if (edit.revision < expected) return { kind: 'stale' };
    if (edit.revision > expected) return { kind: 'out-of-order', expected };
    if (this.#client.inFlightOpId !== null && edit.clientOpId === this.#client.inFlightOpId) {
      this.#remember(edit.revision, this.#client.inFlight);
      this.#serverText = this.#client.inFlight.apply(this.#serverText);
      return { kind: 'ack', send: this.#request(this.#client.serverAck()) };
    }
    const operation = TextOperation.fromJSON(edit.operation);
    this.#remember(edit.revision, operation);
    this.#serverText = operation.apply(this.#serverText);
    const local = this.#client.applyServer(operation);
    this.#text = local.apply(this.#text);
    return { kind: 'remote', operation: local, author: edit.author, authorId: edit.authorId };
  }

  /**
   * Where a position in the text as it stood at `revision` (another person's caret, stamped with the revision their page
   * had) is in the text this page shows: moved through every committed edit since, then through our unconfirmed ones.
   * Null when it cannot be said: `revision` is ahead of this page (its edit has not arrived yet), or further back than
   * the edits this text keeps.
   * @param {number} revision
   * @param {number} index
   * @returns {number | null}
   */
  positionFrom(revision, index) {
    const current = this.#client.revision;
    if (revision > current) return null;
    const since = this.#recent.findIndex((r) => r.revision > revision);
    if (revision < current && (since < 0 || this.#recent[since].revision !== revision + 1)) return null;
    let at = index;
    if (revision < current) {
      for (const { operation } of this.#recent.slice(since)) at = operation.transformIndex(at);
    }
    for (const pending of this.pendingOperations) at = pending.transformIndex(at);
    return at;
  }

  /** After a reconnect and catch-up: the in-flight edit again, same id, so the server applies it once. */
  resend() {
    return this.#request(this.#client.resend());
  }

  /**
   * The server refused our edit (the item was locked, say): drop every unconfirmed edit and show the
   * server's text. Returns the operation that takes the local text there, for moving the caret.
   * @returns {TextOperation | null}
   */
  discardPending() {
    const back = operationFromEdit(this.#text, this.#serverText);
    this.#reset(this.#serverText, this.#client.revision);
    return back;
  }

  /** A fresh copy of the text from a snapshot, when nothing of ours is pending. */
  replace(text, revision) {
    const back = operationFromEdit(this.#text, text);
    this.#reset(text, revision);
    return back;
  }

  #remember(revision, operation) {
    this.#recent.push({ revision, operation });
    if (this.#recent.length > RECENT_OPERATIONS) this.#recent.shift();
  }

  #reset(text, revision) {
    this.#recent = [];
    this.#text = text;
    this.#serverText = text;
    this.#client = new OtClient(revision, this.#newClientOpId ? { newClientOpId: this.#newClientOpId } : undefined);
  }

  /** @returns {OperationRequest | null} */
  #request(submission) {
    if (submission === null) return null;
    return {
      documentId: this.#id,
      baseRevision: submission.baseRevision,
      clientOpId: submission.clientOpId,
      operation: submission.operation.toJSON(),
    };
  }
}
