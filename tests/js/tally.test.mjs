// Pins what the tally view relies on, read from JSON the server really sent (tests/js/fixtures): item I of the
// demo meeting from the snapshot's tallies, item V (a consensus that passes), and a qualified-majority answer of
// POST /api/voting/evaluate. When ItemTallyDto changes, refresh the fixtures and fix normalizeTally with them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { normalizeTally, tallyFromEvent, sentence } from '../../wwwroot/js/tally.js';

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const unanimity = fixture('tally-unanimity-item1');
const consensus = fixture('tally-consensus-item5');
const qualifiedMajority = fixture('evaluate-qualified-majority');

describe('the tally', () => {
  test('reads a unanimity result: who blocks, and what would change it', () => {
    const t = normalizeTally(unanimity);
    assert.equal(t.itemId, 1);
    assert.equal(t.kind, 'unanimity');
    assert.equal(t.outcome, 'notAdopted');
    assert.equal(t.reason, 'Hungary opposes: unanimity requires no objection.');
    assert.deepEqual(t.members, { inFavour: 26, abstaining: 0, undecided: 0, against: 1, participating: 27, required: null, thresholdPercent: null });
    assert.equal(t.population, null);
    assert.deepEqual(t.blockers, [{ code: 'HU', name: 'Hungary', stance: 'oppose' }]);
    assert.deepEqual(t.flips, [{
      description: 'if Hungary abstains: adopted', outcome: 'adopted',
      changes: [{ code: 'HU', name: 'Hungary', from: 'oppose', to: 'abstain' }],
    }]);
    assert.match(t.requirement, /no objection among the 27 member states/);
    assert.deepEqual(t.notCounted.map((n) => n.code), ['COM', 'HRVP', 'UA']);
  });

  test('reads a qualified majority against its 55% and 65% lines', () => {
    const t = normalizeTally(qualifiedMajority);
    assert.equal(t.kind, 'majority');
    assert.equal(t.itemId, null);
    assert.equal(t.outcome, 'notAdopted');
    assert.deepEqual(t.members, { inFavour: 18, abstaining: 2, undecided: 1, against: 6, participating: 27, required: 15, thresholdPercent: 55 });
    assert.equal(t.population.thresholdPercent, 65);
    assert.equal(t.population.required, 293_198_090);
    assert.equal(t.population.participating, 451_073_984);
    assert.equal(t.population.inFavour, 210_991_311);
    assert.equal(t.population.inFavour + t.population.abstaining + t.population.undecided + t.population.against, t.population.participating);
    assert.deepEqual(t.blockers.map((b) => b.name).slice(0, 3), ['Germany', 'Italy', 'Poland']);
    assert.equal(t.flips[0].description, 'if Germany supports: adopted');
    assert.equal(t.notes.length, 1);
  });

  test('a consensus that passes lists every member that could still stop it', () => {
    const t = normalizeTally(consensus);
    assert.equal(t.outcome, 'adopted');
    assert.equal(t.blockers.length, 0);
    assert.equal(t.flips.length, 27);
    assert.ok(t.flips.every((f) => f.outcome === 'notAdopted'));
  });

  test('an item for information decides nothing', () => {
    assert.equal(normalizeTally({ ...unanimity, rule: 'forInformation', outcome: 'noDecision' }).kind, 'none');
  });

  test('anything else is not a tally', () => {
    for (const junk of [null, undefined, 42, 'adopted', {}, { outcome: 7 }]) assert.equal(normalizeTally(junk), null);
  });

  test('a tally.changed payload names its item', () => {
    const pushed = tallyFromEvent({ itemId: 1, tally: unanimity });
    assert.equal(pushed.itemId, 1);
    assert.equal(pushed.tally.outcome, 'notAdopted');
    assert.equal(tallyFromEvent({ itemId: 1 }), null);
    assert.equal(tallyFromEvent(null), null);
  });

  test('the server\'s flips read as sentences', () => {
    assert.equal(sentence('if Hungary abstains: adopted'), 'If Hungary abstains: adopted');
    assert.equal(sentence(''), '');
  });
});
