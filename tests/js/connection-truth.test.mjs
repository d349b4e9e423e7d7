// Issue 14: the browser's own word on the network counts at once, and typing a refusal drops is handed over
// to be kept (points 3 and 4), in RoomSession without a server or a browser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomSession, ConnectionStatus, SILENCE_MS } from '../../wwwroot/js/room-session.js';
import { operationFromEdit } from '../../wwwroot/js/text-diff.js';
import { FakeHub, MEETING_ID, settle, openSession } from './fake-hub.mjs';

/** The browser's network as navigator.onLine and its events would report it. */
class FakeNetwork {
  #online = true;
  #watchers = [];
  online() { return this.#online; }
  watch(onOffline, onOnline) {
    const w = { onOffline, onOnline };
    this.#watchers.push(w);
    return () => { this.#watchers = this.#watchers.filter((x) => x !== w); };
  }
  set(online) {
    this.#online = online;
    for (const w of this.#watchers) (online ? w.onOnline : w.onOffline)();
  }
}

const open = (hub, network) => openSession(hub, { network });

const draft = (session) => session.state.text('draft:1');
const type = (session, newText, caret) => session.edit('draft:1', operationFromEdit(draft(session).text, newText, caret));

describe('the connection as the page tells it', () => {
  test('the browser going offline counts at once, though the socket has not noticed', async () => {
    const network = new FakeNetwork();
    const hub = new FakeHub({ draft: 'Hello' });
    const { session, connection, statuses } = await open(hub, network);

    network.set(false);
    assert.equal(statuses.at(-1), ConnectionStatus.Reconnecting);
    assert.equal(session.connected, false);
    assert.equal(connection.state, 'Connected', 'the socket still believes it is up');

    type(session, 'Hello, Europe', 13);
    await settle();
    assert.equal(connection.methods().includes('SubmitOperation'), false, 'nothing is sent over a link the browser says is down');
    assert.deepEqual(session.unsaved(), [{ documentId: 'draft:1', text: ', Europe' }]);
  });

  test('back online over a socket that lived through it: catch up, send what waited, say so', async () => {
    const network = new FakeNetwork();
    const hub = new FakeHub({ draft: 'Hello' });
    const { session, statuses } = await open(hub, network);
    network.set(false);
    type(session, 'Hello, Europe', 13);

    network.set(true);
    await settle(10);
    assert.equal(hub.text.text, 'Hello, Europe');
    assert.equal(draft(session).hasPending, false);
    assert.deepEqual(statuses.slice(-2), [ConnectionStatus.Syncing, ConnectionStatus.Back]);
  });

  test('a page that opens offline says so from the start', async () => {
    const network = new FakeNetwork();
    network.set(false);
    const { session, statuses } = await open(new FakeHub(), network);
    assert.equal(statuses.at(-1), ConnectionStatus.Reconnecting);
    assert.equal(session.connected, false);
  });

  test('a server silent for longer than SILENCE_MS is shown as gone, over an open socket, until it is heard again', async () => {
    let now = 1_000_000;
    const hub = new FakeHub({ draft: 'Hello' });
    let connection;
    const session = new RoomSession(MEETING_ID, () => { connection = hub.connect(); return connection; },
      { newClientOpId: () => 'mine-1', gapMs: 5, loadSnapshot: async () => hub.snapshot(), network: new FakeNetwork(), now: () => now });
    await session.open();
    connection.onheard();
    const statuses = [];
    const wentQuiet = new Promise((resolve) => session.on('status', (s) => { statuses.push(s); if (s === ConnectionStatus.Reconnecting) resolve(); }));

    now += SILENCE_MS + 1;
    // The watchdog's timer does not hold Node's event loop open by itself: this one does, until it fires.
    const hold = setTimeout(() => {}, 10_000);
    await wentQuiet;
    clearTimeout(hold);
    assert.equal(session.connected, false);
    assert.equal(connection.state, 'Connected', 'the socket is left alone');
    type(session, 'Hello, Europe', 13);
    await settle();
    assert.equal(connection.methods().includes('SubmitOperation'), false);

    connection.onheard();
    await settle(10);
    assert.equal(hub.text.text, 'Hello, Europe');
    assert.deepEqual(statuses.slice(-2), [ConnectionStatus.Syncing, ConnectionStatus.Back]);
    await session.close();
  });

  test('a refused edit hands over what was typed and not saved', async () => {
    const hub = new FakeHub({ draft: 'Agreed text' });
    const { session } = await open(hub, new FakeNetwork());
    hub.refuseWith = 'The item is locked: Item 1 is locked by António Costa (chair).';
    const refusals = [];
    session.on('text-refused', (r) => refusals.push(r));
    type(session, 'Agreed text, and more words', 27);
    await settle();
    assert.equal(refusals.length, 1);
    assert.equal(refusals[0].lost, ', and more words');
    assert.equal(draft(session).text, 'Agreed text');
  });
});
