import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_MAX_LENGTH, MAX_COMPONENTS, MAX_INSERTED_UNITS, MAX_JSON_BYTES, OtError, OtErrorCode, TextOperation, TextOperationBuilder,
} from '../../wwwroot/js/ot.js';
import { createRandom, randomOperation, randomText } from './random-edits.mjs';

const vectors = JSON.parse(readFileSync(new URL('../vectors/ot-vectors.json', import.meta.url), 'utf8'));
const op = (json) => TextOperation.fromJSON(json);
const optionsOf = (c) => (c.maxLength === undefined ? {} : { maxLength: c.maxLength });
const affinityOf = (c) => (c.affinity === undefined ? {} : { affinity: c.affinity });

function assertOtError(action, code) {
  assert.throws(action, (e) => e instanceof OtError && e.code === code,
    `expected an OtError with code ${code}`);
}

describe('shared vectors: parse', () => {
  for (const c of vectors.parse) {
    test(c.name, () => {
      const parsed = TextOperation.fromJSON(c.json, optionsOf(c));
      assert.deepEqual(parsed.toJSON(), c.ops);
      assert.equal(parsed.baseLength, c.baseLength);
      assert.equal(parsed.targetLength, c.targetLength);
      assert.equal(parsed.isNoop(), c.isNoop);
      assert.ok(TextOperation.parse(JSON.stringify(c.json), optionsOf(c)).equals(parsed));
    });
  }
});

describe('shared vectors: invalid', () => {
  for (const c of vectors.invalid) {
    test(c.name, () => assertOtError(() => TextOperation.fromJSON(c.json, optionsOf(c)), c.error));
  }
});

describe('shared vectors: apply', () => {
  for (const c of vectors.apply) {
    test(c.name, () => {
      if (c.error) {
        assertOtError(() => op(c.op).apply(c.doc), c.error);
      } else {
        assert.equal(op(c.op).apply(c.doc), c.result);
      }
    });
  }
});

describe('shared vectors: compose', () => {
  for (const c of vectors.compose) {
    test(c.name, () => {
      if (c.error) {
        assertOtError(() => TextOperation.compose(op(c.a), op(c.b)), c.error);
        return;
      }
      const composed = TextOperation.compose(op(c.a), op(c.b));
      assert.deepEqual(composed.toJSON(), c.result);
      assert.equal(composed.apply(c.doc), op(c.b).apply(op(c.a).apply(c.doc)));
    });
  }
});

describe('shared vectors: transform', () => {
  for (const c of vectors.transform) {
    test(c.name, () => {
      if (c.error) {
        assertOtError(() => TextOperation.transform(op(c.a), op(c.b)), c.error);
        return;
      }
      const [aPrime, bPrime] = TextOperation.transform(op(c.a), op(c.b));
      assert.deepEqual(aPrime.toJSON(), c.aPrime);
      assert.deepEqual(bPrime.toJSON(), c.bPrime);
      assert.equal(bPrime.apply(op(c.a).apply(c.doc)), c.result);
      assert.equal(aPrime.apply(op(c.b).apply(c.doc)), c.result);
    });
  }
});

describe('shared vectors: transformIndex', () => {
  for (const c of vectors.transformIndex) {
    test(c.name, () => assert.equal(op(c.op).transformIndex(c.index, affinityOf(c)), c.result));
  }
});

describe('shared vectors: transformSelection', () => {
  for (const c of vectors.transformSelection) {
    test(c.name, () => {
      assert.deepEqual(op(c.op).transformSelection({ anchor: c.anchor, head: c.head }, affinityOf(c)),
        { anchor: c.resultAnchor, head: c.resultHead });
    });
  }
});

describe('TextOperation', () => {
  test('operations are immutable', () => {
    const operation = op([1, 'a']);
    assert.ok(Object.isFrozen(operation));
    assert.throws(() => { operation.ops.push(3); }, TypeError);
  });

  test('the constructor is not for callers', () => {
    assert.throws(() => new TextOperation([1], 1, 1), TypeError);
  });

  test('JSON.stringify writes the wire format', () => {
    const operation = new TextOperationBuilder().retain(5).insert('Orbán').delete(2).retain(10).build();
    assert.equal(JSON.stringify(operation), '[5,"Orbán",-2,10]');
    assert.equal(operation.baseLength, 17);
    assert.equal(operation.targetLength, 20);
  });

  test('the builder rejects negative and fractional counts', () => {
    assert.throws(() => new TextOperationBuilder().retain(-1), RangeError);
    assert.throws(() => new TextOperationBuilder().delete(1.5), RangeError);
    assert.throws(() => new TextOperationBuilder().insert(3), TypeError);
  });

  test('applying an insert built with an unpaired surrogate is refused', () => {
    const operation = new TextOperationBuilder().retain(1).insert('\ud83c').build();
    assertOtError(() => operation.apply('a'), OtErrorCode.SplitSurrogatePair);
  });

  test('an unpaired surrogate already in the text does not block edits', () => {
    assert.equal(op([1, 'x']).apply('\ud83c'), '\ud83cx');
  });

  test('parse rejects text that is not JSON', () => {
    assertOtError(() => TextOperation.parse('[1,'), OtErrorCode.Malformed);
  });

  test('the default length limit matches the C# one', () => {
    assert.equal(DEFAULT_MAX_LENGTH, 1_000_000);
    assertOtError(() => op([DEFAULT_MAX_LENGTH + 1]), OtErrorCode.TooLong);
    assert.equal(op([DEFAULT_MAX_LENGTH]).baseLength, DEFAULT_MAX_LENGTH);
  });

  test('the limits on one operation match the C# ones, and an operation at every limit is accepted', () => {
    assert.equal(MAX_COMPONENTS, 10_000);
    assert.equal(MAX_INSERTED_UNITS, 200_000);
    assert.equal(MAX_JSON_BYTES, 1_500_000);
    const atLimits = [...Array(MAX_COMPONENTS - 1).fill('a'), 'b'.repeat(MAX_INSERTED_UNITS - MAX_COMPONENTS + 1)];
    assert.equal(op(atLimits).targetLength, MAX_INSERTED_UNITS);
  });

  // The same words as TextOperation.TryParse in C# (OperationLimitsTests), so a refusal reads alike on both sides.
  const refusals = [
    [[0, 5], 'Component 1 of the operation: 0 retains or deletes nothing.'],
    [['', 5], 'Component 1 of the operation: an insert must not be empty.'],
    [[5, 'x\uD83D'], 'Component 2 of the operation: the inserted text holds an unpaired surrogate at position 6.'],
    [[2, 'ab\uDC00', 3], 'Component 2 of the operation: the inserted text holds an unpaired surrogate at position 4.'],
    [[1, 1.5], 'Component 2 of the operation: 1.5 is not a whole number.'],
    [[1, [2]], 'Component 2 of the operation: an array is neither a count (a non-zero integer: retain if positive, delete if negative) nor inserted text (a non-empty string).'],
    [[3000000000], 'The operation applies to or makes a text longer than the limit of 1,000,000 UTF-16 code units.'],
    [['a'.repeat(1_000_000)], 'The operation inserts more than 200,000 UTF-16 code units, the limit for one operation.'],
    [Array(160_000).fill('a'), 'The operation has more than 10,000 components, the limit: send the edit in parts.'],
  ];
  for (const [json, message] of refusals) {
    test(`refuses with words: ${message}`, () => {
      assert.throws(() => op(json), (e) => e instanceof OtError && e.message === message);
    });
  }

  test('parse refuses more JSON than the byte limit before parsing it', () => {
    const text = `[1${'0'.repeat(MAX_JSON_BYTES)}]`;
    assert.throws(() => TextOperation.parse(text),
      (e) => e.code === OtErrorCode.TooLong && e.message === 'The operation is longer than 1,500,000 bytes of JSON, the limit for one operation.');
  });

  test('compose agrees with applying one operation after the other', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const random = createRandom(seed);
      const doc = random.next() < 0.2 ? '' : randomText(random, 6);
      const a = randomOperation(random, doc);
      const afterA = a.apply(doc);
      const b = randomOperation(random, afterA);
      assert.equal(TextOperation.compose(a, b).apply(doc), b.apply(afterA), `seed ${seed}`);
    }
  });

  test('transform satisfies TP1: both orders reach the same text', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const random = createRandom(seed);
      const doc = random.next() < 0.2 ? '' : randomText(random, 6);
      const a = randomOperation(random, doc);
      const b = randomOperation(random, doc);
      const [aPrime, bPrime] = TextOperation.transform(a, b);
      assert.equal(bPrime.apply(a.apply(doc)), aPrime.apply(b.apply(doc)), `seed ${seed}`);
    }
  });
});
