import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RoomState } from '../../wwwroot/js/room-state.js';

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const tallyOfItem1 = fixture('tally-unanimity-item1');
const coalitionOfItem2 = fixture('coalition-item2-locked');
const footnotesOfItem2 = fixture('footnotes-item2');

const item = (id, number, extra = {}) => ({ id, number, title: `Item ${id}`, description: '', rule: 'consensus', status: 'underDiscussion', lock: null, guests: [], version: 1, ...extra });

function snapshot(extra = {}) {
  return {
    meeting: { id: 1, title: 'M', documentNumber: 'EUCO 1/25', date: '2025-03-06', place: 'Brussels', status: 'inSession', version: 1 },
    seq: 40,
    you: { userId: 'me', name: 'Me', role: 'delegate', delegationCode: 'FR' },
    participants: [
      { delegationCode: 'FR', name: 'France', kind: 'memberState' },
      { delegationCode: 'HU', name: 'Hungary', kind: 'memberState' },
      { delegationCode: 'UK', name: 'United Kingdom', kind: 'guest' },
    ],
    items: [item(1, 1), item(2, 2, { guests: ['UK'] })],
    positions: [{ itemId: 1, delegationCode: 'HU', stance: 'oppose', reservationKind: null, reservationText: null, version: 1, updatedBy: 'x', updatedAt: '', recordedOnBehalf: false }],
    texts: [{ id: 'draft:1', text: 'One', revision: 2 }, { id: 'draft:2', text: 'Two', revision: 0 }],
    ...extra,
  };
}

const event = (seq, type, payload, extra = {}) => ({ meetingId: 1, seq, type, itemId: payload?.id ?? payload?.itemId ?? null, payload, actorId: 'chair', actor: 'António Costa (chair)', at: '', ...extra });

describe('RoomState', () => {
  test('item events replace the item whole, and say what happened in words', () => {
    const state = new RoomState(snapshot());
    const change = state.apply(event(41, 'item.locked', item(1, 1, { lock: { by: 'António Costa (chair)', at: '', reason: 'Legal check' }, version: 2 })));
    assert.equal(state.items.get(1).lock.reason, 'Legal check');
    assert.equal(state.frozenReason(1), 'Locked by António Costa (chair): Legal check');
    assert.match(change.announce, /locked item I: Legal check/);
    assert.ok(change.scopes.has('item'));
    assert.equal(change.own, false);
  });

  test('a removed item is named in the announcement: a screen reader heard only that "an item" went', () => {
    const state = new RoomState(snapshot());
    const change = state.apply(event(41, 'item.deleted', { itemId: 2 }));
    assert.equal(state.items.has(2), false);
    assert.equal(change.announce, 'António Costa (chair) removed item II, Item 2, from the agenda.');
  });

  test('who takes part is said in words: a delegation added, suspended, restored, its head named, removed', () => {
    const state = new RoomState(snapshot());
    const hungary = { delegationCode: 'HU', name: 'Hungary', kind: 'memberState', votes: true, headOfDelegation: null, votingRightsSuspended: false };
    const said = (seq, type, payload) => state.apply(event(seq, type, payload)).announce;
    assert.equal(said(41, 'participant.added', { delegationCode: 'CH', name: 'Switzerland', kind: 'guest', votes: false, headOfDelegation: null, votingRightsSuspended: false }),
      'António Costa (chair) added Switzerland to the meeting.');
    assert.equal(said(42, 'participant.updated', { ...hungary, votingRightsSuspended: true }),
      'António Costa (chair) suspended the voting rights of Hungary (Art. 7 TEU).');
    assert.equal(said(43, 'participant.updated', { ...hungary, votingRightsSuspended: true, headOfDelegation: 'Viktor Orbán' }),
      "Hungary's head of delegation is now Viktor Orbán.");
    assert.equal(said(44, 'participant.updated', { ...hungary, headOfDelegation: 'Viktor Orbán' }),
      'António Costa (chair) restored the voting rights of Hungary.');
    assert.equal(said(45, 'participant.updated', { ...hungary, headOfDelegation: 'Viktor Orbán' }), null);
    assert.equal(said(46, 'participant.removed', { delegationCode: 'CH' }), 'António Costa (chair) removed Switzerland from the meeting.');
    assert.equal(state.participants.has('CH'), false);
  });

  test('an agreed item freezes its texts', () => {
    const state = new RoomState(snapshot());
    state.apply(event(41, 'item.status', item(2, 2, { status: 'agreed', guests: ['UK'] })));
    assert.match(state.frozenReason(2), /Agreed/);
    assert.equal(state.frozenReason(1), null);
  });

  test('a closed meeting freezes every item until it is reopened, and each screen is told so once', () => {
    const state = new RoomState(snapshot());
    const closing = state.apply(event(41, 'meeting.updated', { ...snapshot().meeting, status: 'closed', version: 2 }));
    assert.match(state.frozenReason(1), /The meeting is closed/);
    assert.match(state.frozenReason(2), /The meeting is closed/);
    assert.equal(closing.announce, 'António Costa (chair) closed the meeting: nothing in it changes until it is reopened.');
    assert.ok(closing.scopes.has('item') && closing.scopes.has('agenda'));

    const renamed = state.apply(event(42, 'meeting.updated', { ...snapshot().meeting, title: 'N', status: 'closed', version: 3 }));
    assert.equal(renamed.announce, 'António Costa (chair) updated the meeting details.');
    assert.ok(!renamed.scopes.has('item'));

    const reopening = state.apply(event(43, 'meeting.updated', { ...snapshot().meeting, status: 'inSession', version: 4 }));
    assert.equal(reopening.announce, 'António Costa (chair) reopened the meeting.');
    assert.equal(state.frozenReason(1), null);
  });

  test('the agenda follows reorder events', () => {
    const state = new RoomState(snapshot());
    state.apply(event(41, 'agenda.reordered', { order: [{ itemId: 2, number: 1 }, { itemId: 1, number: 2 }] }));
    assert.deepEqual(state.agenda().map((i) => i.id), [2, 1]);
  });

  test('positions are replaced whole; a delegation that said nothing has no position yet', () => {
    const state = new RoomState(snapshot());
    assert.equal(state.position(1, 'FR').stance, 'noPosition');
    const change = state.apply(event(41, 'position.changed', { itemId: 1, delegationCode: 'FR', stance: 'support', version: 1, updatedBy: 'Chair', recordedOnBehalf: true }));
    assert.equal(state.position(1, 'FR').stance, 'support');
    assert.equal(change.announce, 'France: support on item I, recorded by Chair.');
  });

  test('a reservation moved by the draft says where its words are now, not that anyone stated it again', () => {
    const hungary = { itemId: 1, delegationCode: 'HU', stance: 'supportWithReservation', reservationKind: 'parliamentary', reservationText: null,
      reservationParagraph: 2, reservationParagraphDeleted: false, version: 3, updatedBy: 'Tour de table', updatedAt: '2025-03-06T09:00:00.0000001+00:00', recordedOnBehalf: true };
    const state = new RoomState(snapshot({ positions: [hungary] }));
    // Read back from PostgreSQL, the time has microseconds where the statement's own event had ten-millionths.
    const moved = state.apply(event(41, 'position.changed', { ...hungary, reservationParagraph: 3, version: 4, updatedAt: '2025-03-06T09:00:00Z'.replace('Z', '.0000000+00:00') },
      { actor: 'Me', actorId: 'me' }));
    assert.equal(moved.announce, "Hungary's reservation on item I is now on paragraph 3, with its words.");
    // The person whose typing moved it hears it too.
    assert.equal(moved.own, true);
    assert.equal(moved.heardByAll, true);
    assert.equal(state.position(1, 'HU').reservationParagraph, 3);
    const gone = state.apply(event(42, 'position.changed', { ...hungary, reservationParagraph: null, reservationParagraphDeleted: true, version: 5 }));
    assert.equal(gone.announce, "Hungary's reservation on item I: every word of its paragraph has been deleted.");
    // Stated again (a new time): said as a stance is.
    const restated = state.apply(event(43, 'position.changed', { ...hungary, reservationParagraph: 1, version: 6, updatedBy: 'Chair', updatedAt: '2025-03-06T10:00:00Z' }));
    assert.equal(restated.announce, 'Hungary: support, with reservation on item I, recorded by Chair.');
  });

  test('tallies come with the snapshot, and tally.changed replaces one, saying when the outcome turns', () => {
    const state = new RoomState(snapshot({ tallies: [tallyOfItem1] }));
    assert.equal(state.tallies.get(1).outcome, 'notAdopted');
    assert.equal(state.tallies.has(2), false);

    const adopted = { ...tallyOfItem1, outcome: 'adopted', reason: 'No member state opposes.', blockers: [] };
    const change = state.apply(event(41, 'tally.changed', { itemId: 1, tally: adopted }));
    assert.equal(state.tallies.get(1).outcome, 'adopted');
    assert.equal(change.itemId, 1);
    assert.ok(change.scopes.has('tally'));
    assert.equal(change.announce, 'Tally of item I: now adopted.');

    const same = state.apply(event(42, 'tally.changed', { itemId: 1, tally: { ...adopted, reason: 'Still adopted.' } }));
    assert.equal(same.announce, null);
    assert.equal(state.tallies.get(1).reason, 'Still adopted.');
  });

  test("a member's page keeps the whole tally when the guests' copy of it goes by; a guest's page takes it", () => {
    const withheld = { ...tallyOfItem1, itemId: 2, positionsWithheld: true, reason: 'Not adopted', tallies: [], blockers: [], flips: [], notCounted: [] };
    const whole = { ...tallyOfItem1, itemId: 2 };
    const member = new RoomState(snapshot({ tallies: [whole] }));
    const skipped = member.apply(event(41, 'tally.changed', { itemId: 2, tally: withheld }));
    assert.equal(skipped.scopes.has('tally'), false, 'nothing to redraw');
    assert.equal(member.tallies.get(2).positionsWithheld, false);
    assert.ok(member.tallies.get(2).blockers.length > 0);

    const guest = new RoomState(snapshot({ you: { userId: 'uk', name: 'UK', role: 'delegate', delegationCode: 'UK' }, items: [item(2, 1, { guests: ['UK'] })] }));
    guest.apply(event(41, 'tally.changed', { itemId: 2, tally: withheld }));
    assert.equal(guest.tallies.get(2).positionsWithheld, true);
  });

  test('coalition events replace the coalition whole and say who signed', () => {
    const state = new RoomState(snapshot({ items: [item(1, 1), item(2, 2, { guests: ['UK'], status: 'coalition' })] }));
    const withoutUk = { ...coalitionOfItem2, locked: false, signatories: coalitionOfItem2.signatories.filter((s) => s.code !== 'UK') };
    state.apply(event(41, 'coalition.created', withoutUk));
    assert.equal(state.coalitions.get(2).signatories.length, 26);

    const joined = state.apply(event(42, 'coalition.joined', { ...coalitionOfItem2, locked: false }));
    assert.ok(joined.scopes.has('coalition'));
    assert.equal(joined.itemId, 2);
    assert.match(joined.announce, /^United Kingdom signed the statement of item II\. Firmly supported by 25 heads/);

    const locked = state.apply(event(43, 'coalition.locked', coalitionOfItem2));
    assert.equal(state.coalitions.get(2).locked, true);
    assert.equal(locked.announce, 'António Costa (chair) closed the list of signatories of item II.');
  });

  test('an item moved out of coalition loses its coalition', () => {
    const state = new RoomState(snapshot({ items: [item(1, 1), item(2, 2, { guests: ['UK'], status: 'coalition' })], coalitions: [coalitionOfItem2] }));
    assert.equal(state.coalitions.get(2).wording, 'Firmly supported by 25 heads of state or government and by Norway and the United Kingdom');
    const change = state.apply(event(41, 'item.status', item(2, 2, { guests: ['UK'], status: 'notAgreed', version: 3 })));
    assert.equal(state.coalitions.has(2), false);
    assert.ok(change.scopes.has('coalition'));
  });

  test('a removed item takes its tally and coalition with it', () => {
    const state = new RoomState(snapshot({ tallies: [tallyOfItem1, { ...tallyOfItem1, itemId: 2 }], coalitions: [coalitionOfItem2] }));
    state.apply(event(41, 'item.deleted', { itemId: 2 }));
    assert.equal(state.tallies.has(2), false);
    assert.equal(state.coalitions.has(2), false);
    assert.equal(state.tallies.has(1), true);
  });

  test('guests take part only in the items they are invited to', () => {
    const state = new RoomState(snapshot());
    assert.deepEqual(state.delegationsFor(1).map((d) => d.delegationCode), ['FR', 'HU']);
    assert.deepEqual(state.delegationsFor(2).map((d) => d.delegationCode), ['FR', 'HU', 'UK']);
  });

  test('a guest whose invitation is withdrawn loses the item', () => {
    const guest = snapshot({ you: { userId: 'uk', name: 'UK', role: 'delegate', delegationCode: 'UK' }, items: [item(2, 1, { guests: ['UK'] })] });
    const state = new RoomState(guest);
    state.apply(event(41, 'item.updated', item(2, 1, { guests: [] })));
    assert.equal(state.items.has(2), false);
    assert.equal(state.texts.has('draft:2'), false);
  });

  test('a guest dropped from an item lets go of it and is told politely, learning nothing else', () => {
    const guest = snapshot({
      you: { userId: 'uk', name: 'UK', role: 'delegate', delegationCode: 'UK' },
      items: [item(2, 3, { guests: ['UK'] })],
      positions: [{ itemId: 2, delegationCode: 'UK', stance: 'support', version: 1 }],
      tallies: [{ ...tallyOfItem1, itemId: 2 }],
    });
    const state = new RoomState(guest);
    const change = state.apply(event(41, 'item.hidden', { itemId: 2 }));
    assert.equal(state.items.has(2), false);
    assert.equal(state.texts.has('draft:2'), false);
    assert.equal(state.positions.size, 0);
    assert.equal(state.tallies.has(2), false);
    assert.equal(change.announce, 'Item III is no longer shared with your delegation.');
    assert.ok(change.scopes.has('agenda'));
  });

  test('members keep an item hidden from a guest', () => {
    const state = new RoomState(snapshot());
    const change = state.apply(event(41, 'item.hidden', { itemId: 2 }));
    assert.equal(state.items.has(2), true);
    assert.equal(change.announce, null);
    assert.equal(change.scopes.size, 0);
  });

  test('text edits the snapshot already holds are skipped; new ones are applied', () => {
    const state = new RoomState(snapshot());
    const old = state.apply(event(41, 'text.edited', { documentId: 'draft:1', revision: 2, operation: ['x', 3], clientOpId: 'a', author: 'HU' }));
    assert.equal(old.text.kind, 'stale');
    const fresh = state.apply(event(42, 'text.edited', { documentId: 'draft:1', revision: 3, operation: [3, '!'], clientOpId: 'b', author: 'HU' }));
    assert.equal(fresh.text.kind, 'remote');
    assert.equal(state.text('draft:1').text, 'One!');
  });

  test('a position text nobody wrote yet starts empty at revision 0', () => {
    const state = new RoomState(snapshot());
    state.apply(event(41, 'text.edited', { documentId: 'position:1:FR', revision: 1, operation: ['Oui'], clientOpId: 'c', author: 'FR' }));
    assert.equal(state.text('position:1:FR').text, 'Oui');
  });

  test('event types it does not know are ignored', () => {
    const state = new RoomState(snapshot());
    const change = state.apply(event(41, 'conclusions.exported', { sha256: 'abc' }));
    assert.equal(change.scopes.size, 0);
    assert.equal(change.announce, null);
  });

  test('a new snapshot keeps texts with unconfirmed edits, and texts behind it, and names them to be brought up to date edit by edit', () => {
    const state = new RoomState(snapshot({
      texts: [{ id: 'draft:1', text: 'One', revision: 2 }, { id: 'draft:2', text: 'Two', revision: 3 }, { id: 'draft:4', text: 'Four', revision: 0 }],
    }), { newClientOpId: () => 'mine' });
    state.text('draft:1').edit('One more', 8);
    const pending = state.load(snapshot({
      seq: 90,
      texts: [
        { id: 'draft:1', text: 'One', revision: 5 }, { id: 'draft:2', text: 'Deux', revision: 4 },
        { id: 'draft:3', text: 'Trois', revision: 4 }, { id: 'draft:4', text: 'Quatre', revision: 1 },
      ],
    }));
    assert.deepEqual(pending, ['draft:1', 'draft:2']);
    assert.equal(state.text('draft:1').text, 'One more');
    // Not replaced whole: an editor's undo history could not follow one change from the first difference to the last.
    assert.equal(state.text('draft:2').text, 'Two');
    assert.equal(state.text('draft:2').revision, 3);
    assert.equal(state.text('draft:3').text, 'Trois');
    // Never edited when the page last saw it: nothing of the page's to undo there, and the snapshot's copy is the text.
    assert.equal(state.text('draft:4').text, 'Quatre');
    assert.equal(state.seq, 90);
  });

  test('a new snapshot at a text\'s own revision leaves it as it is', () => {
    const state = new RoomState(snapshot());
    const pending = state.load(snapshot({ seq: 90, texts: [{ id: 'draft:1', text: 'One', revision: 2 }, { id: 'draft:2', text: 'Two', revision: 0 }] }));
    assert.deepEqual(pending, []);
    assert.equal(state.text('draft:1').text, 'One');
  });

  test('footnotes come worded by the server, in the snapshot and then whole per item, and leave with their item', () => {
    const state = new RoomState(snapshot({ footnotes: [footnotesOfItem2] }));
    assert.deepEqual(state.footnotes.get(2).map((f) => f.text), [
      "IE: general reservation. Subject to Ireland's policy of military neutrality.",
      "MT: general reservation. Subject to Malta's constitutional neutrality.",
      "AT: general reservation. Subject to Austria's constitutional neutrality.",
    ]);
    assert.equal(state.footnotes.has(1), false);

    const change = state.apply(event(41, 'footnotes.changed', { itemId: 1, footnotes: [{ paragraph: null, text: 'One member state has entered a general reservation.' }] }));
    assert.ok(change.scopes.has('footnotes'));
    assert.equal(change.itemId, 1);
    assert.deepEqual(state.footnotes.get(1), [{ paragraph: null, text: 'One member state has entered a general reservation.' }]);

    state.apply(event(42, 'footnotes.changed', { itemId: 1, footnotes: [] }));
    assert.equal(state.footnotes.has(1), false);
    state.apply(event(43, 'item.deleted', { itemId: 2 }));
    assert.equal(state.footnotes.has(2), false);
  });
});
