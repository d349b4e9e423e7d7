import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_MAX_LENGTH, OtError, OtErrorCode, TextOperation, TextOperationBuilder,
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
