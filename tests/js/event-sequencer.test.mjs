import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSequencer } from '../../wwwroot/js/event-sequencer.js';

const ev = (seq, type = 'x') => ({ seq, type });

/** A sequencer with a hand-driven timer, recording what it applies and when it asks to catch up. */
function harness(lastSeq = 10) {
  const applied = [];
  let gaps = 0;
  let timer = null;
  const sequencer = new EventSequencer({
    lastSeq,
    apply: (e) => applied.push(e.seq),
    onGap: () => { gaps++; },
    setTimer: (fn) => { timer = fn; return 1; },
    clearTimer: () => { timer = null; },
  });
  return {
    sequencer, applied,
    get gaps() { return gaps; },
    get timerPending() { return timer !== null; },
    fire() { const fn = timer; timer = null; fn?.(); },
  };
}

describe('EventSequencer', () => {
  test('applies the next events at once, in order', () => {
    const h = harness();
    h.sequencer.receive(ev(11));
    h.sequencer.receive(ev(12));
    assert.deepEqual(h.applied, [11, 12]);
    assert.equal(h.sequencer.lastSeq, 12);
    assert.equal(h.timerPending, false);
  });

  test('drops events it has already applied, and those the snapshot already holds', () => {
    const h = harness();
    h.sequencer.receive(ev(9));
    h.sequencer.receive(ev(10));
    h.sequencer.receive(ev(11));
    h.sequencer.receive(ev(11));
    assert.deepEqual(h.applied, [11]);
  });

  test('holds an early event until the hole before it is filled', () => {
    const h = harness();
    h.sequencer.receive(ev(13));
    h.sequencer.receive(ev(12));
    assert.deepEqual(h.applied, []);
    assert.equal(h.sequencer.heldCount, 2);
    h.sequencer.receive(ev(11));
    assert.deepEqual(h.applied, [11, 12, 13]);
    assert.equal(h.timerPending, false, 'a filled hole cancels the catch-up');
    assert.equal(h.gaps, 0);
  });

  test('asks to catch up when a hole is not filled in time', () => {
    const h = harness();
    h.sequencer.receive(ev(12));
    assert.equal(h.timerPending, true);
    h.fire();
    assert.equal(h.gaps, 1);
  });

  test('a catch-up applies what was missed, skips what is held twice, and moves to upTo', () => {
    const h = harness();
    h.sequencer.receive(ev(12));
    h.sequencer.receive(ev(15));
    const ok = h.sequencer.catchUp({ events: [ev(12), ev(11), ev(14)], upTo: 14, reset: false });
    assert.equal(ok, true);
    assert.deepEqual(h.applied, [11, 12, 14, 15]);
    assert.equal(h.sequencer.lastSeq, 15);
    assert.equal(h.sequencer.heldCount, 0);
  });

  test('a guest whose stream skips numbers it may not see moves past them with upTo', () => {
    const h = harness(20);
    h.sequencer.receive(ev(23));
    h.fire();
    assert.equal(h.gaps, 1);
    h.sequencer.catchUp({ events: [ev(23)], upTo: 23, reset: false });
    assert.deepEqual(h.applied, [23]);
    h.sequencer.receive(ev(24));
    assert.deepEqual(h.applied, [23, 24]);
  });

  test('a catch-up that says reset applies nothing and reports it', () => {
    const h = harness();
    assert.equal(h.sequencer.catchUp({ events: [], upTo: 5000, reset: true }), false);
    assert.equal(h.sequencer.lastSeq, 10);
  });

  test('after a snapshot reload it starts from the snapshot and keeps newer held events', () => {
    const h = harness();
    h.sequencer.receive(ev(30));
    h.sequencer.receive(ev(45));
    h.sequencer.reset(44);
    assert.deepEqual(h.applied, [45]);
    assert.equal(h.sequencer.heldCount, 0);
  });
});

describe('EventSequencer timers', () => {
  // A browser's setTimeout and clearTimeout throw "Illegal invocation" when called as a method of another object
  // (Node's do not): the sequencer must call them as plain functions, or a gap is never caught up in a browser.
  const asInABrowser = (native) => function timer(...args) {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    return native(...args);
  };

  test('calls setTimer and clearTimer as plain functions, as a browser requires of setTimeout and clearTimeout', async () => {
    let gaps = 0;
    const sequencer = new EventSequencer({
      lastSeq: 10,
      apply: () => {},
      onGap: () => { gaps++; },
      gapMs: 1,
      setTimer: asInABrowser(setTimeout),
      clearTimer: asInABrowser(clearTimeout),
    });
    sequencer.receive(ev(13));
    await new Promise((resolve) => { setTimeout(resolve, 20); });
    assert.equal(gaps, 1, 'the gap is reported');
    sequencer.receive(ev(15));
    sequencer.receiveBatch({ from: 10, upTo: 15, events: [ev(11), ev(12), ev(14)] });
    assert.equal(sequencer.lastSeq, 15);
    assert.equal(sequencer.heldCount, 0);
  });
});
