import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { normalizeCoalition, signatoryChanges, ownSignatory, eligibleSignatories, signedAtMs } from '../../wwwroot/js/coalition.js';
import { RoomState } from '../../wwwroot/js/room-state.js';
import { withdrawalOf } from '../../wwwroot/js/statement.js';

const locked = JSON.parse(readFileSync(new URL('./fixtures/coalition-item2-locked.json', import.meta.url), 'utf8'));

function room(you) {
  return new RoomState({
    meeting: { id: 1 }, seq: 1, you,
    participants: [
      { delegationCode: 'FR', name: 'France', kind: 'memberState' },
      { delegationCode: 'COM', name: 'European Commission', kind: 'institution' },
      { delegationCode: 'UK', name: 'United Kingdom', kind: 'guest' },
      { delegationCode: 'JP', name: 'Japan', kind: 'guest' },
    ],
    items: [{ id: 2, number: 2, title: 'Security guarantees', rule: 'consensus', status: 'coalition', lock: null, guests: ['UK'], version: 3 }],
    positions: [], texts: [],
  });
}

describe('coalitions of the willing', () => {
  test('reads the server\'s coalition as it is, wording included', () => {
    const c = normalizeCoalition(locked);
    assert.equal(c.itemId, 2);
    assert.equal(c.memberStates, 25);
    assert.equal(c.signatories.length, 27);
    assert.deepEqual(c.signatories.at(-1), {
      code: 'UK', name: 'United Kingdom', kind: 'guest', joinedAt: locked.signatories.at(-1).joinedAt,
      recordedBy: 'António Costa (chair)', recordedOnBehalf: true,
    });
    assert.equal(c.locked, true);
    assert.equal(c.lockedBy, 'António Costa (chair)');
    assert.equal(c.wording, 'Firmly supported by 25 heads of state or government and by Norway and the United Kingdom');
    for (const junk of [null, {}, { itemId: 2 }, { itemId: '2', signatories: [] }]) assert.equal(normalizeCoalition(junk), null);
  });

  test('tells who signed and who withdrew between two states', () => {
    const after = normalizeCoalition(locked);
    const before = { ...after, signatories: after.signatories.filter((s) => s.code !== 'NO' && s.code !== 'UK').concat([{ code: 'HU', name: 'Hungary' }]) };
    const { joined, left } = signatoryChanges(before, after);
    assert.deepEqual(joined.map((s) => s.code), ['NO', 'UK']);
    assert.deepEqual(left.map((s) => s.code), ['HU']);
  });

  test('member states and invited guests sign; institutions and uninvited guests do not', () => {
    const state = room({ userId: 'c', role: 'chair', delegationCode: null });
    assert.deepEqual(eligibleSignatories(state, 2).map((d) => d.delegationCode), ['FR', 'UK']);
  });

  test('a delegate signs for its own delegation only; the chair signs for nobody of its own', () => {
    assert.equal(ownSignatory(room({ userId: 'f', role: 'delegate', delegationCode: 'FR' }), 2).delegationCode, 'FR');
    assert.equal(ownSignatory(room({ userId: 'u', role: 'delegate', delegationCode: 'UK' }), 2).delegationCode, 'UK');
    assert.equal(ownSignatory(room({ userId: 'e', role: 'delegate', delegationCode: 'COM' }), 2), null);
    assert.equal(ownSignatory(room({ userId: 'o', role: 'observer', delegationCode: 'FR' }), 2), null);
    assert.equal(ownSignatory(room({ userId: 'c', role: 'chair', delegationCode: null }), 2), null);
  });

  test('a coalition that ended takes its withdrawn signatures with it: a new statement on the item says nothing of them', () => {
    const state = room({ userId: 'f', role: 'delegate', delegationCode: 'FR' });
    const france = { code: 'FR', name: 'France', kind: 'memberState', joinedAt: '', recordedBy: 'x', recordedOnBehalf: true, textSha256: 'a' };
    const coalition = (signatories) => ({ itemId: 2, signatories, memberStates: signatories.length, locked: false, lockedBy: null, lockedAt: null, wording: '' });
    const at = (seq, type, payload) => ({ meetingId: 1, seq, type, itemId: 2, payload, actorId: 'c', actor: 'António Costa (chair)', at: '' });
    state.apply(at(2, 'coalition.created', coalition([france])));
    state.apply(at(3, 'coalition.signaturesWithdrawn', { itemId: 2, reason: 'Paragraph 2 corrected', by: 'António Costa (chair)', at: '', withdrawn: [france], coalition: coalition([]) }));
    assert.equal(withdrawalOf(state, 2).mine, true);

    state.apply(at(4, 'item.status', { id: 2, number: 2, title: 'Security guarantees', rule: 'consensus', status: 'notAgreed', lock: null, guests: ['UK'], version: 4 }));
    state.apply(at(5, 'coalition.archived', { id: 1, itemId: 2, archivedAt: '', archivedBy: 'António Costa (chair)', reason: 'Status set to not agreed', textSha256: 'b', signatories: [] }));
    state.apply(at(6, 'item.status', { id: 2, number: 2, title: 'Security guarantees', rule: 'consensus', status: 'coalition', lock: null, guests: ['UK'], version: 5 }));
    state.apply(at(7, 'coalition.created', coalition([])));

    assert.equal(withdrawalOf(state, 2), null);
  });
  test('the room remembers each signature it saw, even withdrawn since, by who and when', () => {
    const state = room({ userId: 'f', role: 'delegate', delegationCode: 'FR' });
    const signed = (code, joinedAt) => ({ code, name: code, kind: 'memberState', joinedAt, recordedBy: 'x', recordedOnBehalf: false, textSha256: 'a' });
    const coalition = (signatories) => ({ itemId: 2, signatories, memberStates: signatories.length, locked: false, lockedBy: null, lockedAt: null, wording: '' });
    const at = (seq, type, payload) => ({ meetingId: 1, seq, type, itemId: 2, payload, actorId: 'c', actor: 'António Costa (chair)', at: '' });
    const first = signed('FR', '2026-12-06T10:00:00.1234567+00:00');
    state.apply(at(2, 'coalition.created', coalition([])));
    state.apply(at(3, 'coalition.joined', coalition([first])));
    state.apply(at(4, 'coalition.signaturesWithdrawn', { itemId: 2, reason: 'A typo', by: 'António Costa (chair)', at: '', withdrawn: [first], coalition: coalition([]) }));

    // The same moment written as the answer wrote it, or in another zone, is the same signature.
    assert.equal(state.coalitions.hasSeenSignature(2, 'FR', signedAtMs({ joinedAt: '2026-12-06T11:00:00.123+01:00' })), true);
    assert.equal(state.coalitions.hasSeenSignature(2, 'FR', signedAtMs({ joinedAt: '2026-12-06T10:00:01+00:00' })), false);
    assert.equal(state.coalitions.hasSeenSignature(2, 'UK', signedAtMs(first)), false);
    assert.equal(state.coalitions.hasSeenSignature(3, 'FR', signedAtMs(first)), false);
    assert.equal(state.coalitions.hasSeenSignature(2, 'FR', signedAtMs({ joinedAt: '' })), false);
    assert.equal(state.coalitions.get(2).signatories.length, 0);
    assert.equal(state.coalitions.signedAt(2, 'FR'), null);
    state.apply(at(5, 'coalition.reopened', coalition([first])));
    assert.equal(state.coalitions.signedAt(2, 'FR'), signedAtMs(first));
  });
});
