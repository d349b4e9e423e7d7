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

  test('messages of one kind that come together are said in one sentence, the first on its own as before', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const region = liveRegion();
      const announcer = new Announcer(region);
      const lapsed = (n, who) => ({ key: 'lapsed:2', part: `${n} of ${who}`, whole: (parts) => `Proposals ${parts.join(', ')} lapsed.` });
      announcer.say('Chair set item II to agreed.');
      announcer.say('Proposal 1 of France lapsed.', lapsed(1, 'France'));
      announcer.say('Proposal 3 of Hungary lapsed.', lapsed(3, 'Hungary'));
      announcer.say('Proposal 2 of Poland lapsed.', lapsed(2, 'Poland'));
      announcer.say('Germany: support on item II.');
      pass(10_000);
      assert.deepEqual(region.heard, [
        'Chair set item II to agreed.',
        'Proposals 1 of France, 3 of Hungary, 2 of Poland lapsed.',
        'Germany: support on item II.',
      ]);

      // One that comes alone is said as it is, and a later one of the same kind, once the first was read, on its own.
      region.heard.length = 0;
      announcer.say('Proposal 4 of Italy lapsed.', lapsed(4, 'Italy'));
      pass(3_000);
      announcer.say('Proposal 5 of Spain lapsed.', lapsed(5, 'Spain'));
      pass(3_000);
      assert.deepEqual(region.heard, ['Proposal 4 of Italy lapsed.', 'Proposal 5 of Spain lapsed.']);
    } finally {
      mock.timers.reset();
    }
  });

  test('a message of a kind joins the one about to be read, when nothing else waits', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const region = liveRegion();
      const announcer = new Announcer(region);
      const lapsed = (n) => ({ key: 'lapsed:2', part: String(n), whole: (parts) => `Proposals ${parts.join(' and ')} lapsed.` });
      announcer.say('Proposal 1 lapsed.', lapsed(1));
      announcer.say('Proposal 2 lapsed.', lapsed(2));
      pass(3_000);
      assert.deepEqual(region.heard, ['Proposals 1 and 2 lapsed.']);
    } finally {
      mock.timers.reset();
    }
  });
});
