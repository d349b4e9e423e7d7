import { describe, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Announcer } from '../../wwwroot/js/announcer.js';

/** Lets `ms` pass in steps, so that timers set by timers run too. */
function pass(ms) {
  for (let t = 0; t < ms; t += 50) mock.timers.tick(50);
}

/** What a screen reader hears: every text the live region is given, in order. */
function liveRegion() {
  const heard = [];
  return {
    heard,
    get textContent() { return heard.at(-1) ?? ''; },
    set textContent(text) { if (text) heard.push(text); },
  };
}

describe('Announcer', () => {
  test('a burst of changes (a catch-up after a reconnect) is not read out one by one for minutes', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const region = liveRegion();
      const announcer = new Announcer(region);
      for (let i = 1; i <= 60; i++) announcer.say(`Delegation ${i}: support on item I.`);
      pass(120_000);

      assert.ok(region.heard.length <= 6, `${region.heard.length} announcements for one burst: ${region.heard.join(' | ')}`);
      // The first and the latest are read; the rest are summed up, never silently dropped.
      assert.equal(region.heard[0], 'Delegation 1: support on item I.');
      assert.equal(region.heard.at(-1), 'Delegation 60: support on item I.');
      assert.ok(region.heard.some((m) => /\b5\d other changes\b/.test(m)), region.heard.join(' | '));
    } finally {
      mock.timers.reset();
    }
  });

  test('changes that come one at a time are each read out', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const region = liveRegion();
      const announcer = new Announcer(region);
      for (let i = 1; i <= 5; i++) {
        announcer.say(`Delegation ${i}: support on item I.`);
        pass(3_000);
      }
      assert.deepEqual(region.heard, [1, 2, 3, 4, 5].map((i) => `Delegation ${i}: support on item I.`));
    } finally {
      mock.timers.reset();
    }
  });
});
