import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreedBySilenceText, countdown, deadlinePassed, mayBreakSilence, newerSilence, serverClockOffset } from '../../wwwroot/js/silence.js';
import { describeComparison } from '../../wwwroot/js/versions.js';

test('the countdown says what is left, and nothing below zero', () => {
  const deadline = '2025-03-07T12:00:00Z';
  const at = (iso) => new Date(iso).getTime();
  assert.equal(countdown(deadline, at('2025-03-07T09:54:51Z')), '2 h 05 min 09 s');
  assert.equal(countdown(deadline, at('2025-03-07T11:56:00Z')), '4 min 00 s');
  assert.equal(countdown(deadline, at('2025-03-07T11:59:48Z')), '12 s');
  assert.equal(countdown(deadline, at('2025-03-05T10:00:00Z')), '2 d 2 h 00 min');
  assert.equal(countdown(deadline, at('2025-03-07T12:00:05Z')), '0 s');
});

test('the deadline has passed at its own second, not before', () => {
  const deadline = '2025-03-07T12:00:00Z';
  const at = (iso) => new Date(iso).getTime();
  assert.equal(deadlinePassed(deadline, at('2025-03-07T11:59:59.999Z')), false);
  assert.equal(deadlinePassed(deadline, at('2025-03-07T12:00:00Z')), true);
  assert.equal(deadlinePassed(deadline, at('2025-03-07T12:00:05Z')), true);
});

test("the server's clock rules: a screen's clock that fits the Date header is kept, one that does not is corrected", () => {
  const at = (iso) => new Date(iso).getTime();
  const header = 'Thu, 06 Mar 2025 10:00:00 GMT';
  // The server read between 10:00:00 and 10:00:02 during the round trip: a screen at 10:00:01 fits.
  assert.equal(serverClockOffset(header, at('2025-03-06T10:00:00.900Z'), at('2025-03-06T10:00:01.100Z')), 0);
  // A screen a day fast is put a day back, to within a second.
  const fast = serverClockOffset(header, at('2025-03-07T10:00:01Z'), at('2025-03-07T10:00:01Z'));
  assert.ok(Math.abs(fast + 24 * 3600 * 1000) <= 1000, String(fast));
  // An hour slow, an hour forward.
  const slow = serverClockOffset(header, at('2025-03-06T09:00:00Z'), at('2025-03-06T09:00:00.200Z'));
  assert.ok(Math.abs(slow - 3600 * 1000) <= 1000, String(slow));
  // No header, no correction.
  assert.equal(serverClockOffset(null, 0, 0), 0);
});

test('a later procedure wins, and a closed one never reopens', () => {
  const open = { id: 1, state: 'open' };
  const broken = { id: 1, state: 'broken' };
  const next = { id: 2, state: 'open' };
  assert.equal(newerSilence(undefined, open), open);
  assert.equal(newerSilence(open, broken), broken);
  assert.equal(newerSilence(broken, open), broken);
  assert.equal(newerSilence(broken, next), next);
  assert.equal(newerSilence(next, broken), next);
});

test('a member state delegate breaks silence, unless its voting rights are suspended; nobody else does', () => {
  const participants = new Map([
    ['HU', { delegationCode: 'HU', kind: 'memberState', votingRightsSuspended: false }],
    ['COM', { delegationCode: 'COM', kind: 'institution', votingRightsSuspended: false }],
    ['UA', { delegationCode: 'UA', kind: 'guest', votingRightsSuspended: false }],
  ]);
  const as = (role, delegationCode) => ({ you: { role, delegationCode }, participants });
  assert.equal(mayBreakSilence(as('delegate', 'HU')), true);
  assert.equal(mayBreakSilence(as('delegate', 'COM')), false);
  assert.equal(mayBreakSilence(as('delegate', 'UA')), false);
  assert.equal(mayBreakSilence(as('chair', null)), false);
  participants.set('HU', { ...participants.get('HU'), votingRightsSuspended: true });
  assert.equal(mayBreakSilence(as('delegate', 'HU')), false);
});

test('a member state that does not take part in the item does not break silence on it, and does on another', () => {
  const participants = new Map([['DK', { delegationCode: 'DK', kind: 'memberState', votingRightsSuspended: false }]]);
  const positions = new Map([['5:DK', { itemId: 5, delegationCode: 'DK', stance: 'notTakingPart' }], ['6:DK', { itemId: 6, delegationCode: 'DK', stance: 'oppose' }]]);
  const state = { you: { role: 'delegate', delegationCode: 'DK' }, participants, positions };
  assert.equal(mayBreakSilence(state, 5), false);
  assert.equal(mayBreakSilence(state, 6), true);
  assert.equal(mayBreakSilence(state, 7), true);
});

test('a comparison of two versions is a word diff with a sentence that counts the words', () => {
  const { parts, summary } = describeComparison({
    from: { label: 'REV 1 – first', text: 'The Union should act.' },
    to: { label: 'REV 2 – second', text: 'The Union shall act now.' },
  });
  const text = (types) => parts.filter((p) => types.includes(p.type)).map((p) => p.text).join('');
  assert.equal(text(['equal', 'insert']), 'The Union shall act now.');
  assert.equal(text(['equal', 'delete']), 'The Union should act.');
  assert.match(text(['delete']), /should/);
  assert.match(text(['insert']), /shall/);
  assert.match(summary, /^From REV 1 – first to REV 2 – second: \d+ words? inserted, \d+ words? deleted\.$/);
  assert.equal(describeComparison({ from: { label: 'A', text: 'x y' }, to: { label: 'B', text: 'x y' } }).summary, 'A and B are the same text.');
});

test('an item agreed by silence and reopened since says both, not only that it was agreed', () => {
  const at = 'Fri, 4 Dec 2026, 14:00:00 GMT+1';
  assert.equal(agreedBySilenceText('agreed', at), `Nobody broke silence: agreed by silence procedure at ${at}.`);
  for (const status of ['draft', 'underDiscussion', 'notAgreed', 'coalition']) {
    const text = agreedBySilenceText(status, at);
    assert.match(text, /agreed by silence procedure at/);
    assert.match(text, /The chair has since reopened the item\./);
  }
});
