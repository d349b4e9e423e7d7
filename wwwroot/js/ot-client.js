// One participant's side of server-ordered OT, as in ot.js: at most one operation in flight,
// local edits buffered meanwhile, server operations transformed past both. The same machine as
// BriefingRoom.Drafting.Ot.OtClient in C#. It keeps no text: the caller applies local edits
// itself and applies what applyServer returns.
//
// After a reconnect, catch up on every operation committed after `revision`, in order, calling
// serverAck() for the one whose id is `inFlightOpId` and applyServer() for the others; then, if an
// operation is still in flight, send resend(): same id, so the server applies it only once.

import { TextOperation } from './ot.js';

export const OtClientState = Object.freeze({
  Synchronized: 'Synchronized',
  AwaitingAck: 'AwaitingAck',
  AwaitingAckWithBuffer: 'AwaitingAckWithBuffer',
});

/**
 * @typedef {{clientOpId: string, baseRevision: number, operation: TextOperation}} OtSubmission
 */

export class OtClient {
  #revision;
  #newClientOpId;
  /** @type {TextOperation | null} */
  #inFlight = null;
  /** @type {string | null} */
  #inFlightOpId = null;
  /** @type {TextOperation | null} */
  #buffer = null;

  /**
   * @param {number} [revision] the revision of the text the caller starts editing
   * @param {{newClientOpId?: () => string}} [options] makes operation ids; random UUIDs unless given
   */
  constructor(revision = 0, { newClientOpId = () => globalThis.crypto.randomUUID() } = {}) {
    if (!Number.isSafeInteger(revision) || revision < 0) {
      throw new RangeError(`a revision must be a non-negative integer, not ${revision}`);
    }
    this.#revision = revision;
    this.#newClientOpId = newClientOpId;
  }

  /** How many server operations (including acknowledged own ones) the client has seen. */
  get revision() { return this.#revision; }

  get state() {
    if (this.#inFlight === null) return OtClientState.Synchronized;
    return this.#buffer === null ? OtClientState.AwaitingAck : OtClientState.AwaitingAckWithBuffer;
  }

  get inFlightOpId() { return this.#inFlightOpId; }

  /** The in-flight operation, transformed onto `revision`. */
  get inFlight() { return this.#inFlight; }

  get buffer() { return this.#buffer; }

  /**
   * Records an edit the user has already made to the local text.
   * @param {TextOperation} operation
   * @returns {OtSubmission | null} what to send now, or null when one is already in flight
   *   (or the edit changes nothing)
   */
  applyLocal(operation) {
    if (operation.isNoop()) return null;
    if (this.#inFlight === null) {
      this.#inFlight = operation;
      this.#inFlightOpId = this.#newClientOpId();
      return this.#submission();
    }
    this.#buffer = this.#buffer === null ? operation : TextOperation.compose(this.#buffer, operation);
    return null;
  }

  /**
   * The server committed the in-flight operation.
   * @returns {OtSubmission | null} the buffered edits to send next, or null
   */
  serverAck() {
    if (this.#inFlight === null) {
      throw new Error('The server acknowledged an operation, but none is in flight.');
    }
    this.#revision++;
    this.#inFlight = this.#buffer;
    this.#buffer = null;
    this.#inFlightOpId = this.#inFlight === null ? null : this.#newClientOpId();
    return this.#inFlight === null ? null : this.#submission();
  }

  /**
   * Another participant's operation, as the server committed it.
   * @param {TextOperation} operation
   * @returns {TextOperation} the operation to apply to the local text
   */
  applyServer(operation) {
    if (this.#inFlight !== null) {
      [this.#inFlight, operation] = TextOperation.transform(this.#inFlight, operation);
      if (this.#buffer !== null) {
        [this.#buffer, operation] = TextOperation.transform(this.#buffer, operation);
      }
    }
    this.#revision++;
    return operation;
  }

  /** @returns {OtSubmission | null} the in-flight operation again, same id, on the current revision */
  resend() {
    return this.#inFlight === null ? null : this.#submission();
  }

  #submission() {
    return Object.freeze({
      clientOpId: this.#inFlightOpId,
      baseRevision: this.#revision,
      operation: this.#inFlight,
    });
  }
}
