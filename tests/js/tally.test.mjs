// Pins what the tally view relies on, for the shape the voting module is expected to send
// (its DecisionResult in camelCase). When the real API lands, fix normalizeTally and these fixtures together.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTally, tallyFromEvent } from '../../wwwroot/js/tally.js';

const stance = (name, members, population, codes = []) => ({ stance: name, members, codes, population, membersPercent: null, populationPercent: null });

export const qualifiedMajority = {
  rule: 'qualifiedMajority', basis: 'Art. 16(4) TEU', outcome: 'adopted',
  reason: 'Adopted: 20 member states (74.07%) representing 70.1% of the population are in favour.',
  thresholds: { participatingMembers: 27, participatingPopulation: 449_206_579, allMemberStatesTakePart: true, membersRequired: 15, membersPercent: 55, minimumMembers: 15, populationRequired: 291_984_277, populationPercent: 65, description: '55% / 65%' },
  tallies: [stance('noPosition', 0, 0), stance('support', 18, 300_000_000), stance('supportWithReservation', 2, 15_000_000), stance('abstain', 3, 40_000_000), stance('oppose', 4, 94_206_579, ['HU', 'SK', 'AT', 'MT'])],
  blockers: [], flips: [], reservations: [], notCounted: [], notes: ['The Commission and the High Representative do not vote.'],
  population: { year: 2025, source: 'Council Decision', origin: 'official', unionTotal: 449_206_579 },
};

export const unanimity = {
  rule: 'unanimity', basis: 'Art. 238(4) TFEU', outcome: 'notAdopted', reason: 'Not adopted: Hungary opposes.',
  thresholds: { participatingMembers: 27, participatingPopulation: 449_206_579, allMemberStatesTakePart: true, description: 'no member state opposes' },
  tallies: [stance('support', 26, 439_000_000), stance('oppose', 1, 9_600_000, ['HU'])],
  blockers: [{ code: 'HU', name: 'Hungary', stance: 'oppose', population: 9_600_000 }],
  notes: [],
};

describe('the tally adapter', () => {
  test('reads a qualified-majority result into members and population against their thresholds', () => {
    const t = normalizeTally(qualifiedMajority);
    assert.equal(t.kind, 'majority');
    assert.equal(t.outcome, 'adopted');
    assert.deepEqual(t.members, { inFavour: 20, participating: 27, required: 15, thresholdPercent: 55 });
    assert.deepEqual(t.population, { inFavour: 315_000_000, participating: 449_206_579, required: 291_984_277, thresholdPercent: 65 });
    assert.equal(t.notes.length, 1);
  });

  test('reads a unanimity result with who blocks', () => {
    const t = normalizeTally(unanimity);
    assert.equal(t.kind, 'unanimity');
    assert.equal(t.population, null);
    assert.deepEqual(t.members, { inFavour: 26, participating: 27, required: 27, thresholdPercent: 100 });
    assert.deepEqual(t.blockers, [{ code: 'HU', name: 'Hungary', stance: 'oppose' }]);
  });

  test('an item for information decides nothing', () => {
    assert.equal(normalizeTally({ ...unanimity, rule: 'forInformation', outcome: 'noDecision' }).kind, 'none');
  });

  test('anything else is not a tally', () => {
    for (const junk of [null, undefined, 42, 'adopted', {}, { outcome: 7 }]) assert.equal(normalizeTally(junk), null);
  });

  test('a tally pushed with a position event is read from the payload or beside it', () => {
    assert.equal(tallyFromEvent({ payload: { tally: unanimity } }).outcome, 'notAdopted');
    assert.equal(tallyFromEvent({ payload: {}, tally: qualifiedMajority }).outcome, 'adopted');
    assert.equal(tallyFromEvent({ payload: { itemId: 1 } }), null);
  });
});
