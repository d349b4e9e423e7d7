import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepSession, RENEW_EVERY_MS } from '../../wwwroot/js/session-keeper.js';

/** A clock the test moves: intervals fire as it passes them. */
function fakeTimers() {
  let now = 0;
  const intervals = new Map();
  let next = 1;
  return {
    setInterval(fn, every) { intervals.set(next, { fn, every, due: now + every }); return next++; },
    clearInterval(id) { intervals.delete(id); },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...intervals.values()].filter((i) => i.due <= until).sort((a, b) => a.due - b.due)[0];
        if (!due) break;
        now = due.due;
        due.due += due.every;
        due.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
    },
    get count() { return intervals.size; },
  };
}

function setUp({ fails = false } = {}) {
  const timers = fakeTimers();
  const target = new EventTarget();
  const calls = [];
  const stop = keepSession({
    target, timers,
    renew: () => { calls.push(calls.length); if (fails) throw new Error('offline'); },
  });
  const act = (type = 'keydown') => target.dispatchEvent(new Event(type));
  return { timers, calls, stop, act };
}

test('a person typing all night is asked about every ten minutes, once per look however much they typed', async () => {
  const { timers, calls, act } = setUp();
  for (let minute = 0; minute < 60; minute++) {
    act('keydown');
    act('input');
    await timers.advance(60 * 1000);
  }
  assert.equal(RENEW_EVERY_MS, 10 * 60 * 1000);
  assert.equal(calls.length, 6);
});

test('nobody at the keyboard: nothing is sent, so an unattended page still expires', async () => {
  const { timers, calls, act } = setUp();
  await timers.advance(15 * 60 * 60 * 1000);
  assert.equal(calls.length, 0);
  act('pointerdown');
  await timers.advance(RENEW_EVERY_MS);
  assert.equal(calls.length, 1);
  await timers.advance(5 * RENEW_EVERY_MS);
  assert.equal(calls.length, 1);
});

test('a composed character counts as work, and a failed renewal is tried again at the next look', async () => {
  const { timers, calls, act } = setUp({ fails: true });
  act('compositionend');
  await timers.advance(RENEW_EVERY_MS);
  await timers.advance(RENEW_EVERY_MS);
  assert.equal(calls.length, 2);
});

test('stopped, it neither looks nor listens', async () => {
  const { timers, calls, act, stop } = setUp();
  stop();
  act('keydown');
  await timers.advance(3 * RENEW_EVERY_MS);
  assert.equal(calls.length, 0);
  assert.equal(timers.count, 0);
});
