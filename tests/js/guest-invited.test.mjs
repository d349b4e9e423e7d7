// The guest's page when the chair invites its delegation to an item while it is in the room: the live event is
// item.updated with the item alone (no draft), and no earlier event about the item was ever the guest's to hear.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guestHub, settle, openSession } from './fake-hub.mjs';
import { operationFromEdit } from '../../wwwroot/js/text-diff.js';

/** Lets timers and promises run until `condition` holds (or two seconds have passed), then asserts it. */
async function eventually(condition, message) {
  for (const started = Date.now(); !condition() && Date.now() - started < 2_000;) await settle();
  assert.ok(condition(), message);
}

describe('RoomSession, a guest invited to an item', () => {
  test('a guest invited to an item while in the room gets the item\'s draft as it stands', async () => {
    const draft = 'The European Council welcomes the agreement.';
    const hub = guestHub(draft);
    const { session } = await openSession(hub, { retryMs: () => 5 });
    assert.ok(!session.state.items.has(1), 'not invited yet: the room has no item 1');

    // The chair adds Ukraine to item 1's guests.
    hub.item = { ...hub.item, guests: ['UA'], version: hub.item.version + 1 };
    hub.publish('item.updated', structuredClone(hub.item));
    await eventually(() => session.state.items.has(1), 'the item is shown');

    await eventually(() => session.state.texts.get('draft:1')?.text === draft,
      `the page shows item 1 with draft:1 as ${JSON.stringify(session.state.texts.get('draft:1')?.text)} at revision `
      + `${session.state.texts.get('draft:1')?.revision}; the server's draft is ${JSON.stringify(draft)} at revision ${hub.text.revision}`);
    await session.close();
  });

  test('typing left in an item no longer shared with the guest is handed over to be kept, with why', async () => {
    const hub = guestHub('Agreed text');
    hub.item = { ...hub.item, guests: ['UA'] };
    const { session, connection } = await openSession(hub, { retryMs: () => 5 });
    const orphaned = [];
    session.on('texts-orphaned', (texts) => orphaned.push(...texts));
    connection.drop();
    session.edit('draft:1', operationFromEdit('Agreed text', 'Agreed text (as typed)', 22));

    // The chair drops Ukraine from item 1's guests while its delegate is offline.
    hub.item = { ...hub.item, guests: [], version: hub.item.version + 1 };
    hub.publish('item.hidden', { itemId: 1 }, { deliver: false });
    connection.restore();
    await eventually(() => !session.state.items.has(1), 'the item is gone from the page');
    assert.deepEqual(orphaned.map((o) => ({ ...o })), [{ documentId: 'draft:1', text: ' (as typed)', itemId: 1, number: 1, title: 'Ukraine', cause: 'unshared' }]);
    await session.close();
  });
});
