// Operational transformation on plain text, server-ordered, in the model of ot.js.
// BriefingRoom.Drafting.Ot.TextOperation in C# implements the same algorithms; the shared
// tests/vectors/ot-vectors.json keeps the two equal. Lengths count UTF-16 code units, as
// JavaScript strings do. Wire format: [5, "abc", -2, 10]: a positive integer retains, a
// string inserts, a negative integer deletes.

import { describeRefusedCharacter, findRefusedCharacter } from './text-rules.js';

/** The longest text, in UTF-16 code units, that an operation may apply to or produce by default. */
export const DEFAULT_MAX_LENGTH = 1_000_000;

// The limits on one operation, as TextOperation.MaxComponents, MaxInsertedUnits and MaxJsonBytes in C#
// (Drafting/Ot/README.md): the server refuses more, and never sends more.
/** The most components an operation may be written with (before adjacent ones merge). */
export const MAX_COMPONENTS = 10_000;
/** The most UTF-16 code units one operation may insert: a whole draft pasted at once. */
export const MAX_INSERTED_UNITS = 200_000;
/** The longest wire form, in UTF-8 bytes. */
export const MAX_JSON_BYTES = 1_500_000;

/** Why an operation was refused; the same names as the C# enum OtErrorCode. */
export const OtErrorCode = Object.freeze({
  Malformed: 'Malformed',
  TooLong: 'TooLong',
  LengthMismatch: 'LengthMismatch',
  SplitSurrogatePair: 'SplitSurrogatePair',
  RevisionOutOfRange: 'RevisionOutOfRange',
});

export class OtError extends Error {
  /**
   * @param {string} code one of OtErrorCode
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'OtError';
    this.code = code;
  }
}

const isRetain = (c) => typeof c === 'number' && c > 0;
const isDelete = (c) => typeof c === 'number' && c < 0;
const isInsert = (c) => typeof c === 'string';
const lengthOf = (c) => (typeof c === 'string' ? c.length : Math.abs(c));

const isHigh = (code) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code) => code >= 0xdc00 && code <= 0xdfff;

/** False when index falls between a high and a low surrogate. */
function isBoundary(text, index) {
  return index <= 0 || index >= text.length
    || !(isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index)));
}

/** The index of the first surrogate that is not half of a pair, or -1. */
function firstUnpaired(text) {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHigh(code)) {
      if (i + 1 >= text.length || !isLow(text.charCodeAt(i + 1))) return i;
      i++;
    } else if (isLow(code)) {
      return i;
    }
  }
  return -1;
}

/** True when every surrogate in text is half of a pair. */
function isWellFormed(text) {
  return firstUnpaired(text) < 0;
}

const constructing = Symbol('TextOperation');

/**
 * Builds a normalised TextOperation: adjacent components of one kind merge, zero lengths and
 * empty inserts vanish, and an insert next to a delete goes first, so one edit has one form.
 */
export class TextOperationBuilder {
  #ops = [];
  #baseLength = 0;
  #targetLength = 0;

  get baseLength() { return this.#baseLength; }
  get targetLength() { return this.#targetLength; }

  /** @param {number} count */
  retain(count) {
    checkCount(count);
    if (count === 0) return this;
    this.#baseLength += count;
    this.#targetLength += count;
    const ops = this.#ops;
    if (ops.length > 0 && isRetain(ops[ops.length - 1])) {
      ops[ops.length - 1] += count;
    } else {
      ops.push(count);
    }
    return this;
  }

  /** @param {string} text */
  insert(text) {
    if (typeof text !== 'string') throw new TypeError('insert expects a string');
    if (text.length === 0) return this;
    this.#targetLength += text.length;
    const ops = this.#ops;
    const last = ops.length - 1;
    if (last >= 0 && isInsert(ops[last])) {
      ops[last] += text;
    } else if (last >= 0 && isDelete(ops[last])) {
      if (last >= 1 && isInsert(ops[last - 1])) {
        ops[last - 1] += text;
      } else {
        ops.splice(last, 0, text);
      }
    } else {
      ops.push(text);
    }
    return this;
  }

  /** @param {number} count how many code units to delete (not negative) */
  delete(count) {
    checkCount(count);
    if (count === 0) return this;
    this.#baseLength += count;
    const ops = this.#ops;
    if (ops.length > 0 && isDelete(ops[ops.length - 1])) {
      ops[ops.length - 1] -= count;
    } else {
      ops.push(-count);
    }
    return this;
  }

  /** @returns {TextOperation} */
  build() {
    return new TextOperation(constructing, [...this.#ops], this.#baseLength, this.#targetLength);
  }
}

function checkCount(count) {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`a count must be a non-negative integer, not ${count}`);
  }
}

/** Walks components, consuming them partly; a consumed insert keeps its unconsumed tail. */
class Cursor {
  #ops;
  #index = 0;
  #consumed = 0;

  constructor(ops) { this.#ops = ops; }

  get done() { return this.#index >= this.#ops.length; }

  get current() {
    if (this.done) throw new OtError(OtErrorCode.LengthMismatch, 'The operations do not line up.');
    const c = this.#ops[this.#index];
    if (this.#consumed === 0) return c;
    if (isInsert(c)) return c.slice(this.#consumed);
    return isRetain(c) ? c - this.#consumed : c + this.#consumed;
  }

  advance(count) {
    this.#consumed += count;
    if (this.#consumed >= lengthOf(this.#ops[this.#index])) {
      this.#index++;
      this.#consumed = 0;
    }
  }
}

/** An immutable, normalised text operation. Make one with TextOperationBuilder or fromJSON. */
export class TextOperation {
  #ops;

  /** @private */
  constructor(token, ops, baseLength, targetLength) {
    if (token !== constructing) {
      throw new TypeError('Use TextOperation.builder() or TextOperation.fromJSON()');
    }
    this.#ops = Object.freeze(ops);
    /** The length of the text this operation applies to. */
    this.baseLength = baseLength;
    /** The length of the text after applying it. */
    this.targetLength = targetLength;
    Object.freeze(this);
  }

  static builder() { return new TextOperationBuilder(); }

  /** The no-op for a text of the given length. */
  static identity(length) { return new TextOperationBuilder().retain(length).build(); }

  /** Components in the wire form (frozen). */
  get ops() { return this.#ops; }

  isNoop() { return this.#ops.every(isRetain); }

  /** How many UTF-16 code units the operation inserts. */
  insertedLength() { return this.#ops.reduce((n, op) => (typeof op === 'string' ? n + op.length : n), 0); }

  /**
   * Reads the wire form from a parsed JSON value. The result is normalised.
   * @param {unknown} json
   * @param {{maxLength?: number}} [options]
   * @throws {OtError} Malformed or TooLong
   */
  static fromJSON(json, { maxLength = DEFAULT_MAX_LENGTH } = {}) {
    if (!Array.isArray(json)) {
      throw new OtError(OtErrorCode.Malformed, `An operation must be a JSON array, not ${describe(json)}.`);
    }
    if (json.length > MAX_COMPONENTS) {
      throw new OtError(OtErrorCode.TooLong,
        `The operation has more than ${count(MAX_COMPONENTS)} components, the limit: send the edit in parts.`);
    }
    const builder = new TextOperationBuilder();
    let inserted = 0;
    json.forEach((item, index) => {
      const component = index + 1;
      if (typeof item === 'number') {
        if (!Number.isFinite(item) || !Number.isInteger(item)) throw malformed(component, `${item} is not a whole number`);
        if (item === 0) throw malformed(component, '0 retains or deletes nothing');
        const n = Math.abs(item);
        if (builder.baseLength + n > maxLength
            || (item > 0 && builder.targetLength + n > maxLength)) {
          throw tooLong(maxLength);
        }
        if (item > 0) builder.retain(n); else builder.delete(n);
      } else if (typeof item === 'string') {
        if (item.length === 0) throw malformed(component, 'an insert must not be empty');
        const unpaired = firstUnpaired(item);
        if (unpaired >= 0) {
          throw malformed(component, `the inserted text holds an unpaired surrogate at position ${builder.targetLength + unpaired}`);
        }
        const refused = findRefusedCharacter(item);
        if (refused) throw malformed(component, `the inserted text holds ${describeRefusedCharacter(refused, builder.targetLength)}`);
        inserted += item.length;
        if (inserted > MAX_INSERTED_UNITS) {
          throw new OtError(OtErrorCode.TooLong,
            `The operation inserts more than ${count(MAX_INSERTED_UNITS)} UTF-16 code units, the limit for one operation.`);
        }
        if (builder.targetLength + item.length > maxLength) throw tooLong(maxLength);
        builder.insert(item);
      } else {
        throw malformed(component,
          `${describe(item)} is neither a count (a non-zero integer: retain if positive, delete if negative) nor inserted text (a non-empty string)`);
      }
    });
    return builder.build();
  }

  /**
   * Reads the wire form from JSON text.
   * @param {string} text
   * @param {{maxLength?: number}} [options]
   */
  static parse(text, options) {
    if (utf8Length(text) > MAX_JSON_BYTES) {
      throw new OtError(OtErrorCode.TooLong,
        `The operation is longer than ${count(MAX_JSON_BYTES)} bytes of JSON, the limit for one operation.`);
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new OtError(OtErrorCode.Malformed, `An operation must be a JSON array: ${e.message}`);
    }
    return TextOperation.fromJSON(json, options);
  }

  /** The wire form; JSON.stringify uses it. */
  toJSON() { return [...this.#ops]; }

  toString() { return JSON.stringify(this.#ops); }

  /** @param {TextOperation} other */
  equals(other) {
    if (!(other instanceof TextOperation) || other.#ops.length !== this.#ops.length) return false;
    return this.#ops.every((c, i) => c === other.#ops[i]);
  }

  /**
   * @param {string} text
   * @returns {string}
   * @throws {OtError} LengthMismatch, or SplitSurrogatePair when a component would cut a pair in two
   */
  apply(text) {
    if (text.length !== this.baseLength) {
      throw new OtError(OtErrorCode.LengthMismatch,
        `The operation applies to a text of ${this.baseLength} UTF-16 code units, but the text has ${text.length}.`);
    }
    const parts = [];
    let position = 0;
    for (const c of this.#ops) {
      if (!isBoundary(text, position)) {
        throw new OtError(OtErrorCode.SplitSurrogatePair,
          `The operation cuts the surrogate pair at UTF-16 index ${position - 1} in two.`);
      }
      if (isRetain(c)) {
        parts.push(text.slice(position, position + c));
        position += c;
      } else if (isInsert(c)) {
        if (!isWellFormed(c)) {
          throw new OtError(OtErrorCode.SplitSurrogatePair,
            `The text inserted at UTF-16 index ${position} holds an unpaired surrogate.`);
        }
        parts.push(c);
      } else {
        position -= c;
      }
    }
    return parts.join('');
  }

  /**
   * One operation with the effect of first followed by second.
   * @param {TextOperation} first
   * @param {TextOperation} second
   * @returns {TextOperation}
   */
  static compose(first, second) {
    if (first.targetLength !== second.baseLength) {
      throw new OtError(OtErrorCode.LengthMismatch,
        `Cannot compose: the first operation yields ${first.targetLength} code units, the second applies to ${second.baseLength}.`);
    }
    const result = new TextOperationBuilder();
    const a = new Cursor(first.#ops);
    const b = new Cursor(second.#ops);
    while (!a.done || !b.done) {
      if (!a.done && isDelete(a.current)) {
        result.delete(-a.current);
        a.advance(-a.current);
        continue;
      }
      if (!b.done && isInsert(b.current)) {
        result.insert(b.current);
        b.advance(b.current.length);
        continue;
      }
      const x = a.current;
      const y = b.current;
      const n = Math.min(lengthOf(x), lengthOf(y));
      if (isRetain(x) && isRetain(y)) {
        result.retain(n);
      } else if (isInsert(x) && isRetain(y)) {
        result.insert(x.slice(0, n));
      } else if (isRetain(x) && isDelete(y)) {
        result.delete(n);
      }
      // Text that the first inserts and the second deletes leaves no trace.
      a.advance(n);
      b.advance(n);
    }
    return result.build();
  }

  /**
   * For two operations on the same text, returns [a', b'] such that applying a then b' equals
   * applying b then a'. When both insert at one position, a's text comes first.
   * @param {TextOperation} a
   * @param {TextOperation} b
   * @returns {[TextOperation, TextOperation]}
   */
  static transform(a, b) {
    if (a.baseLength !== b.baseLength) {
      throw new OtError(OtErrorCode.LengthMismatch,
        `Cannot transform: the operations apply to texts of ${a.baseLength} and ${b.baseLength} code units.`);
    }
    const aPrime = new TextOperationBuilder();
    const bPrime = new TextOperationBuilder();
    const x = new Cursor(a.#ops);
    const y = new Cursor(b.#ops);
    while (!x.done || !y.done) {
      if (!x.done && isInsert(x.current)) {
        aPrime.insert(x.current);
        bPrime.retain(x.current.length);
        x.advance(x.current.length);
        continue;
      }
      if (!y.done && isInsert(y.current)) {
        aPrime.retain(y.current.length);
        bPrime.insert(y.current);
        y.advance(y.current.length);
        continue;
      }
      const p = x.current;
      const q = y.current;
      const n = Math.min(lengthOf(p), lengthOf(q));
      if (isRetain(p) && isRetain(q)) {
        aPrime.retain(n);
        bPrime.retain(n);
      } else if (isDelete(p) && isRetain(q)) {
        aPrime.delete(n);
      } else if (isRetain(p) && isDelete(q)) {
        bPrime.delete(n);
      }
      // Both delete the same text: neither has anything left to do.
      x.advance(n);
      y.advance(n);
    }
    return [aPrime.build(), bPrime.build()];
  }

  /**
   * Where a caret at index ends up once this operation is applied. A caret inside deleted text
   * moves to where the deletion was; text inserted exactly at the caret goes before it
   * (affinity 'after', as ot.js does) or after it ('before'). Out-of-range indices are clamped.
   * @param {number} index
   * @param {{affinity?: 'after' | 'before'}} [options]
   */
  transformIndex(index, { affinity = 'after' } = {}) {
    index = Math.min(Math.max(index, 0), this.baseLength);
    let remaining = index;
    let result = index;
    for (const c of this.#ops) {
      if (isRetain(c)) {
        remaining -= c;
      } else if (isInsert(c)) {
        if (remaining > 0 || affinity === 'after') result += c.length;
      } else {
        result -= Math.min(remaining, -c);
        remaining += c;
      }
      if (remaining < 0) break;
    }
    return result;
  }

  /**
   * Moves both ends of a selection, as ot.js moves a selection range.
   * @param {{anchor: number, head: number}} selection
   * @param {{affinity?: 'after' | 'before'}} [options]
   * @returns {{anchor: number, head: number}}
   */
  transformSelection({ anchor, head }, options) {
    return { anchor: this.transformIndex(anchor, options), head: this.transformIndex(head, options) };
  }
}

function malformed(component, reason) {
  return new OtError(OtErrorCode.Malformed, `Component ${component} of the operation: ${reason}.`);
}

function tooLong(maxLength) {
  return new OtError(OtErrorCode.TooLong,
    `The operation applies to or makes a text longer than the limit of ${count(maxLength)} UTF-16 code units.`);
}

const count = (n) => n.toLocaleString('en-US');

/** UTF-8 bytes of a string, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHigh(code) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object': return 'an object';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    default: return 'nothing';
  }
}
