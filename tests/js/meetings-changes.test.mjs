import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TOLD, whatChanged } from '../../wwwroot/js/meetings-changes.js';

const euco = Object.freeze({
  id: 1, title: 'European Council', documentNumber: 'EUCO 6/25', date: '2026-03-19', place: 'Brussels',
  status: 'planned', role: 'delegate', delegationCode: 'FR',
});

function meeting(id, changes = {}) {
  return { ...euco, id, title: `Meeting ${id}`, documentNumber: `EUCO ${id}/26`, ...changes };
}

describe('whatChanged: what a screen reader hears when the meetings list is drawn again', () => {
  test('the same list read again says nothing', () => {
    assert.equal(whatChanged([euco], [{ ...euco }]), null);
    assert.equal(whatChanged([], []), null);
  });

  test('a seat given names the meeting and the seat', () => {
    assert.equal(whatChanged([], [euco]),
      'Your meetings changed. You now have a seat in European Council (EUCO 6/25), as Delegate, FR.');
  });

  test('a seat taken away names the meeting as it was shown', () => {
    assert.equal(whatChanged([euco], []), 'Your meetings changed. You no longer have a seat in European Council (EUCO 6/25).');
  });

  test("each detail of a meeting that changed is said, under the meeting's new title", () => {
    const moved = { ...euco, title: 'European Council (resumed)', place: 'Luxembourg', date: '2026-03-20', status: 'inSession',
      documentNumber: 'EUCO 7/25', role: 'chair', delegationCode: null };
    assert.equal(whatChanged([euco], [moved]),
      'Your meetings changed. European Council (resumed): renamed from European Council; now document EUCO 7/25; ' +
      'now on 20 March 2026; now in Luxembourg; now in session; your seat is now Chair.');
  });

  test('a meeting that only moved in the list is not a change', () => {
    const other = meeting(2);
    assert.equal(whatChanged([euco, other], [other, euco]), null);
  });

  test('a few changes are each said; more than that are counted', () => {
    const few = whatChanged([euco], [meeting(2), { ...euco, place: 'Luxembourg' }]);
    assert.equal(few, 'Your meetings changed. You now have a seat in Meeting 2 (EUCO 2/26), as Delegate, FR. ' +
      'European Council: now in Luxembourg.');
    const many = Array.from({ length: MAX_TOLD + 1 }, (_, i) => meeting(i + 10));
    assert.equal(whatChanged([], many), `${MAX_TOLD + 1} of your meetings changed: the list shows them.`);
  });
});
