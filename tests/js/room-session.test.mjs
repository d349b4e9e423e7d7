import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionStatus, refusalOf } from '../../wwwroot/js/room-session.js';
import { operationFromEdit } from '../../wwwroot/js/text-diff.js';
import { FakeHub, settle, openSession } from './fake-hub.mjs';

const open = (hub, options) => openSession(hub, options);

const draft = (session) => session.state.text('draft:1');

/** The user changes the draft to newText, as the editor reports it: one operation on the text shown. */
const type = (session, newText, caret) => session.edit('draft:1', operationFromEdit(draft(session).text, newText, caret));

describe('RoomSession', () => {
  test('applies live events in sequence order even when they arrive out of order', async () => {
    const hub = new FakeHub();
    const { session, connection } = await open(hub);
    const first = hub.publish('item.status', { ...hub.item, status: 'notAgreed', version: 2 }, { deliver: false });
    const second = hub.publish('item.status', { ...hub.item, status: 'agreed', version: 3 }, { deliver: false });
    connection.push(second);
    assert.equal(session.state.items.get(1).status, 'underDiscussion', 'held until the one before it arrives');
    connection.push(first);
    assert.equal(session.state.items.get(1).status, 'agreed');
    assert.equal(session.lastSeq, second.seq);
  });

  test('a room loaded while connecting that is as new as the join needs no catch-up', async () => {
    const hub = new FakeHub();
    const { session, connection } = await open(hub, { gapMs: 60_000 });
    await settle(10);
    assert.ok(!connection.methods().includes('GetEventsSince'));
    assert.equal(session.lastSeq, hub.seq);
    await session.close();
  });

  test('a room loaded while connecting that is older than the join is brought up to it at once, not after a gap', async () => {
    const hub = new FakeHub();
    const loaded = hub.snapshot();
    // The chair's change lands between the room's load and the join: it never comes live to this page.
    hub.setStatus('agreed');
    const { session, connection } = await open(hub, { loadSnapshot: async () => loaded, gapMs: 60_000 });
    await settle(10);
    assert.ok(connection.methods().includes('GetEventsSince'));
    assert.equal(session.state.items.get(1).status, 'agreed');
    assert.equal(session.lastSeq, hub.seq);
    await session.close();
  });

  test('a hole that is not filled is fetched with GetEventsSince', async () => {
    const hub = new FakeHub();
    const { session, connection } = await open(hub);
    hub.setStatus('notAgreed', { deliver: false });
    hub.setStatus('agreed');
    await settle(10);
    assert.ok(connection.methods().includes('GetEventsSince'));
    assert.equal(session.state.items.get(1).status, 'agreed');
  });

  test('text typed offline is sent after the reconnect, after the catch-up, and applied once', async () => {
    const hub = new FakeHub({ draft: 'Hello' });
    const { session, connection, statuses } = await open(hub);
    connection.drop();
    type(session, 'Hello, Europe', 13);
    hub.otherEdits(['Well. ', 5], { deliver: false });
    assert.equal(hub.text.text, 'Well. Hello', 'nothing of ours reached the server while offline');

    const before = connection.calls.length;
    connection.restore();
    await settle(10);
    const after = connection.methods().slice(before);
    assert.deepEqual(after.filter((m) => !m.startsWith('send:')), ['JoinMeeting', 'GetEventsSince', 'SubmitOperation']);
    assert.equal(hub.text.text, 'Well. Hello, Europe');
    assert.equal(draft(session).text, 'Well. Hello, Europe');
    assert.equal(draft(session).hasPending, false);
    assert.equal(hub.text.log.filter((e) => e.clientOpId === 'mine-1').length, 1);
    assert.deepEqual(statuses.slice(-3), [ConnectionStatus.Reconnecting, ConnectionStatus.Syncing, ConnectionStatus.Back]);
  });

  test('an edit whose acknowledgement was lost is recognised in the catch-up, not applied twice', async () => {
    const hub = new FakeHub({ draft: 'abc' });
    const { session, connection } = await open(hub);
    connection.holdAcks = true;
    type(session, 'abcd', 4);
    await settle();
    assert.equal(hub.text.text, 'abcd');
    assert.equal(draft(session).hasPending, true, 'no ack yet');
    connection.holdAcks = false;
    connection.drop();
    connection.restore();
    await settle(10);
    assert.equal(draft(session).hasPending, false);
    assert.equal(draft(session).text, 'abcd');
    assert.equal(hub.text.log.length, 1);
  });

  test('settled waits for the acknowledgement of what was typed, and says at once when nothing is pending', async () => {
    const hub = new FakeHub({ draft: 'abc' });
    const { session, connection } = await open(hub);
    assert.equal(await session.settled('draft:1'), true, 'nothing typed: settled at once');
    connection.holdAcks = true;
    type(session, 'abcd', 4);
    let answer;
    session.settled('draft:1').then((value) => { answer = value; });
    await settle(10);
    assert.equal(answer, undefined, 'the edit is not acknowledged yet');
    connection.push(hub.events.at(-1));
    await settle(10);
    assert.equal(answer, true);
    assert.equal(draft(session).hasPending, false);
    assert.equal(await session.settled('draft:9'), false, 'a text the page does not have never settles');
  });

  test('settled answers false when the edit is refused, or when the wait runs out', async () => {
    const hub = new FakeHub({ draft: 'abc' });
    const { session, connection } = await open(hub);
    hub.refuseWith = 'Item 1 is locked: Legal-linguistic check.';
    connection.holdAcks = true;
    const refused = session.settled('draft:1');
    type(session, 'abcd', 4);
    // Asked before the edit: nothing was pending then.
    assert.equal(await refused, true);
    type(session, 'abcde', 5);
    assert.equal(await session.settled('draft:1'), false, 'the refusal ends the wait');
    hub.refuseWith = null;
    type(session, 'abcX', 4);
    assert.equal(await session.settled('draft:1', 20), false, 'no acknowledgement within the wait');
  });

  test('when told to reset, it reloads, replays the text history through the OT client, then resends', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const { session, connection } = await open(hub);
    connection.drop();
    type(session, 'Text!', 5);
    hub.otherEdits(['Our ', 4], { deliver: false });
    hub.setStatus('notAgreed', { deliver: false });
    hub.forceReset = true;
    let reloaded = false;
    session.on('reload', () => { reloaded = true; });
    const before = connection.calls.length;
    connection.restore();
    await settle(10);
    const after = connection.methods().slice(before).filter((m) => !m.startsWith('send:'));
    assert.deepEqual(after, ['JoinMeeting', 'GetEventsSince', 'GetTextHistory', 'SubmitOperation']);
    assert.equal(reloaded, true);
    assert.equal(session.state.items.get(1).status, 'notAgreed');
    assert.equal(hub.text.text, 'Our Text!');
    assert.equal(draft(session).text, 'Our Text!');
    assert.equal(session.lastSeq, hub.seq);
  });

  test('a silence procedure cancelled while the page missed too much to catch up no longer freezes the item after the reload', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const open_ = { id: 3, itemId: 1, state: 'open', deadline: '2030-01-01T00:00:00Z' };
    let listed = [open_];
    const { session, connection } = await open(hub, { loadSilences: async () => listed });
    // The item's panel loaded the procedures when the item was opened: the silence runs, the texts are frozen.
    session.state.silences.set(1, open_);
    assert.match(session.state.frozenReason(1), /silence/);
    connection.drop();
    listed = [{ ...open_, state: 'cancelled' }];
    hub.publish('silence.cancelled', listed[0], { deliver: false });
    hub.forceReset = true;
    const reloaded = new Promise((resolve) => session.on('reload', resolve));
    connection.restore();
    await reloaded;
    assert.equal(session.state.frozenReason(1), null, 'the room reloaded after a reset knows the procedure ended');
  });

  test('the text history is replayed page by page when the server says there is more', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    hub.historyPageSize = 2;
    const { session, connection } = await open(hub);
    connection.drop();
    type(session, 'Text!', 5);
    for (const word of ['A ', 'B ', 'C ', 'D ', 'E ']) hub.otherEdits([word, hub.text.text.length], { deliver: false });
    hub.forceReset = true;
    connection.restore();
    await settle(20);
    const history = connection.methods().filter((m) => m === 'GetTextHistory');
    assert.equal(history.length, 3, 'five edits in pages of two');
    assert.equal(hub.text.text, 'E D C B A Text!');
    assert.equal(draft(session).text, 'E D C B A Text!');
    assert.equal(draft(session).hasPending, false);
  });

  test('a refused edit rolls the text back and says why', async () => {
    const hub = new FakeHub({ draft: 'Agreed text' });
    const { session } = await open(hub);
    hub.refuseWith = 'The item is locked: Item 1 is locked by António Costa (chair).';
    const refusals = [];
    session.on('text-refused', (r) => refusals.push(r));
    type(session, 'Agreed text, changed', 20);
    await settle();
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0].message, 'The item is locked: Item 1 is locked by António Costa (chair).');
    assert.equal(draft(session).text, 'Agreed text');
    assert.equal(draft(session).hasPending, false);
  });

  test('typing left in an item that is deleted before it is saved is handed over to be kept, not lost', async () => {
    const hub = new FakeHub({ draft: 'Agreed text' });
    const { session, connection } = await open(hub);
    const orphaned = [];
    session.on('texts-orphaned', (texts) => orphaned.push(...texts));
    connection.drop();
    type(session, 'Agreed text, and more', 21);
    hub.publish('item.deleted', { itemId: 1 }, { deliver: false });

    connection.restore();
    await settle(10);
    assert.equal(session.state.items.has(1), false);
    assert.equal(orphaned.length, 1);
    assert.deepEqual({ ...orphaned[0] }, { documentId: 'draft:1', text: ', and more', itemId: 1, number: 1, title: 'Ukraine', cause: 'removed' });
    assert.equal(connection.methods().filter((m) => m === 'SubmitOperation').length, 0, 'nothing is sent for an item that is gone');
  });

  test('an item deleted with nothing unsaved in it hands nothing over', async () => {
    const hub = new FakeHub({ draft: 'Agreed text' });
    const { session } = await open(hub);
    const orphaned = [];
    session.on('texts-orphaned', (texts) => orphaned.push(...texts));
    hub.publish('item.deleted', { itemId: 1 });
    await settle();
    assert.equal(session.state.items.has(1), false);
    assert.equal(orphaned.length, 0);
  });

  test('a seat revoked while the page is open is said at once, not left showing the room as "Live"', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const { session, connection } = await open(hub);
    const signedOut = new Promise((resolve) => session.on('signed-out', resolve));
    hub.refuseJoinWith = 'Not found: You are not a member of meeting 1.';
    connection.seatChanged();
    assert.match(await signedOut, /not a member/);
    await session.close();
  });

  test('a seat changed while the page is open joins again with the new seat and loads the room again', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const { session, connection } = await open(hub);
    hub.you = { userId: 'me', name: 'France delegate', role: 'observer', delegationCode: 'FR', canEditDrafts: false };
    hub.setStatus('agreed', { deliver: false }); // said to the room after this page left its groups
    const reloaded = new Promise((resolve) => session.on('reload', resolve));
    connection.seatChanged();
    await reloaded;
    assert.equal(session.state.you.role, 'observer');
    assert.equal(session.state.items.get(1).status, 'agreed');
    await session.close();
  });

  test('a seat changed while the connection was down is seen on the way back: the room is loaded again as the new seat sees it', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const { session, connection } = await open(hub);
    connection.drop();
    // Revoked and given back in another role meanwhile: the SeatChanged message went to a connection that was gone.
    hub.you = { userId: 'me', name: 'France delegate', role: 'observer', delegationCode: 'FR', canEditDrafts: false };
    hub.setStatus('agreed', { deliver: false });
    const reloaded = new Promise((resolve) => session.on('reload', resolve));
    connection.restore();
    await reloaded;
    assert.equal(session.state.you.role, 'observer');
    assert.equal(session.state.you.canEditDrafts, false);
    assert.equal(session.state.items.get(1).status, 'agreed');
    await session.close();
  });

  test('a connection that comes back signed in as someone else (another tab signed out and in) sends none of our typing under their name', async () => {
    const hub = new FakeHub({ draft: 'Hello' });
    const { session, connection } = await open(hub);
    connection.drop();
    type(session, 'Hello, Europe', 13);
    // Meanwhile the browser's cookie became Hungary's: the connection rejoins as Hungary.
    hub.you = { userId: 'hungary', name: 'Hungary delegate', role: 'delegate', delegationCode: 'HU', canEditDrafts: true };
    const signedOut = new Promise((resolve) => session.on('signed-out', resolve));
    connection.restore();
    assert.match(await signedOut, /signed in as someone else/);
    await settle(10);
    assert.equal(hub.text.text, 'Hello', 'France\'s words were not sent as Hungary\'s');
    assert.ok(!connection.methods().includes('SubmitOperation'));
    assert.deepEqual(session.unsaved(), [{ documentId: 'draft:1', text: ', Europe' }], 'still there to be kept for France');
    await session.close();
  });

  test('an invitation sent or withdrawn while the connection was down is read again on the way back', async () => {
    const hub = new FakeHub({ draft: 'Text' });
    const { session, connection } = await open(hub);
    let told = 0;
    session.on('invitations', () => { told += 1; });
    connection.drop();
    // Another inviter withdraws one meanwhile: its InvitationsChanged went to the connection that was gone, and no
    // room event carries an invitation (it holds an address), so the catch-up brings nothing of it.
    connection.restore();
    await settle(10);
    assert.equal(told, 1, 'the invitations panel reads its list again once the room is back');
    await session.close();
  });

  test('tells hub refusals from lost connections', () => {
    assert.equal(refusalOf(new Error("An unexpected error occurred invoking 'X' on the server. HubException: Not allowed: no.")), 'Not allowed: no.');
    assert.equal(refusalOf(new Error('Invocation canceled due to the underlying connection being closed.')), null);
  });

  test('events for another meeting are ignored', async () => {
    const hub = new FakeHub();
    const { session, connection } = await open(hub);
    connection.push({ meetingId: 99, seq: session.lastSeq + 1, type: 'item.status', payload: { ...hub.item, status: 'agreed' } });
    assert.equal(session.state.items.get(1).status, 'underDiscussion');
  });
});
