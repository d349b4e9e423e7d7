import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { advanceSpan, mapSpan } from '../../wwwroot/js/proposal-spans.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/proposal-span-vectors.json', import.meta.url), 'utf8'));

describe('shared vectors: a proposal span moves through operations as the server moves it', () => {
  for (const c of vectors.spans) {
    test(c.name, () => {
      let span = c.span;
      let text = c.text;
      for (const wire of c.ops) {
        const op = TextOperation.fromJSON(wire);
        text = op.apply(text);
        span = mapSpan(span, op);
      }
      assert.deepEqual(span, c.expected);
      assert.ok(span.from <= span.to && span.to <= text.length);
    });
  }
});

describe('advanceSpan', () => {
  test('moves a span only through revisions after its own', () => {
    const span = { from: 2, to: 5, deleted: false, revision: 3 };
    const op = TextOperation.fromJSON(['XY', 10]);
    assert.equal(advanceSpan(span, 3, op), span);
    assert.deepEqual(advanceSpan(span, 4, op), { from: 4, to: 7, deleted: false, revision: 4 });
  });
});
