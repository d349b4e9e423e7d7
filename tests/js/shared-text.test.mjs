import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { RECENT_OPERATIONS, SharedText } from '../../wwwroot/js/shared-text.js';
import { FakeTextServer } from './fake-server.mjs';
import { createRandom, randomText } from './random-edits.mjs';

const ids = (prefix) => { let n = 0; return () => `${prefix}-${++n}`; };

describe('SharedText', () => {
  test('a caret stamped with an earlier revision is moved through the edits made since, ours unconfirmed included', () => {
    // Ireland's page had revision 4, "European Council", and put its caret after "European" (8).
    const text = new SharedText('draft:1', 'European Council', 4, { newClientOpId: ids('a') });
    // Meanwhile Malta wrote "The " at the start (revision 5), and we typed "A " too, not yet confirmed.
    text.receive({ revision: 5, operation: ['The ', 16], clientOpId: 'mt-1' });
    text.edit('A The European Council', 0);
    assert.equal(text.text, 'A The European Council');
    assert.equal(text.positionFrom(4, 8), 14, 'after "European" still');
    assert.equal(text.text.slice(0, text.positionFrom(4, 8)), 'A The European');
    assert.equal(text.positionFrom(5, 12), 14, 'stamped with this page\'s revision: our own edits only');
    assert.equal(text.positionFrom(6, 0), null, 'ahead of this page: its edit has not arrived');
    // Our edit confirmed (revision 6): the same caret, from revision 4, lands in the same place.
    text.receive({ revision: 6, operation: ['A ', 20], clientOpId: 'a-1' });
    assert.equal(text.positionFrom(4, 8), 14);
  });

  test('a caret older than the edits the text keeps cannot be placed', () => {
    const text = new SharedText('draft:1', '', 0, { newClientOpId: ids('a') });
    for (let r = 1; r <= RECENT_OPERATIONS + 1; r++) text.receive({ revision: r, operation: r === 1 ? ['x'] : ['x', r - 1], clientOpId: `mt-${r}` });
    assert.equal(text.positionFrom(0, 0), null);
    assert.equal(text.positionFrom(1, 1), RECENT_OPERATIONS + 1);
  });

  test('a local edit is sent with the revision it was made on', () => {
    const text = new SharedText('draft:1', 'Council', 4, { newClientOpId: ids('a') });
    const sent = text.edit('The Council', 0);
    assert.deepEqual(sent, { documentId: 'draft:1', baseRevision: 4, clientOpId: 'a-1', operation: ['The ', 7] });
    assert.equal(text.text, 'The Council');
    assert.equal(text.serverText, 'Council');
    assert.equal(text.hasPending, true);
  });

  test('an editor\'s edit comes as an operation on the text shown, and others\' edits say who made them', () => {
    const text = new SharedText('draft:1', 'Council', 4, { newClientOpId: ids('a') });
    assert.deepEqual(text.apply(TextOperation.fromJSON(['The ', 7])), { documentId: 'draft:1', baseRevision: 4, clientOpId: 'a-1', operation: ['The ', 7] });
    assert.equal(text.apply(TextOperation.fromJSON([11])), null, 'a no-op sends nothing');
    assert.throws(() => text.apply(TextOperation.fromJSON(['x', 7])), RangeError, 'made on another text');
    assert.equal(text.text, 'The Council');
    const remote = text.receive({ revision: 5, operation: [7, '!'], clientOpId: 'b-1', author: 'Ireland delegate', authorId: 'u-ie' });
    assert.deepEqual([remote.kind, remote.author, remote.authorId, text.text], ['remote', 'Ireland delegate', 'u-ie', 'The Council!']);
  });

  test('our own edit coming back is the acknowledgement, then the buffer goes', () => {
    const text = new SharedText('draft:1', '', 0, { newClientOpId: ids('a') });
    const first = text.edit('a');
    assert.equal(text.edit('ab'), null, 'one operation in flight at a time');
    const result = text.receive({ revision: 1, operation: first.operation, clientOpId: first.clientOpId });
    assert.equal(result.kind, 'ack');
    assert.deepEqual(result.send, { documentId: 'draft:1', baseRevision: 1, clientOpId: 'a-2', operation: [1, 'b'] });
    assert.equal(text.serverText, 'a');
  });

  test('edits the snapshot already holds are skipped', () => {
    const text = new SharedText('draft:1', 'abc', 3);
    assert.equal(text.receive({ revision: 3, operation: ['x', 3], clientOpId: 'z' }).kind, 'stale');
    assert.equal(text.text, 'abc');
    assert.equal(text.receive({ revision: 5, operation: ['x', 3], clientOpId: 'z' }).kind, 'out-of-order');
  });

  test('a refused edit rolls back to what everyone else sees', () => {
    const text = new SharedText('draft:1', 'agreed', 2, { newClientOpId: ids('a') });
    text.edit('agreed!');
    text.edit('agreed!!');
    text.receive({ revision: 3, operation: ['Text ', 6], clientOpId: 'other' });
    assert.equal(text.text, 'Text agreed!!');
    const back = text.discardPending();
    assert.equal(text.text, 'Text agreed');
    assert.equal(back.apply('Text agreed!!'), 'Text agreed');
    assert.equal(text.hasPending, false);
    assert.equal(text.revision, 3);
  });

  test('two people typing at once end with the same text as the server', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = createRandom(seed);
      const server = new FakeTextServer('Draft conclusions');
      const people = ['FR', 'HU', 'IE'].map((name) => ({
        name,
        text: new SharedText('draft:1', server.text, 0, { newClientOpId: ids(name) }),
        outbox: [],
        seen: 0,
      }));
      const deliver = (person) => {
        // Everyone receives the log in order, at their own pace.
        while (person.seen < server.log.length && random.next() < 0.7) {
          const result = person.text.receive(server.log[person.seen++]);
          if (result.kind === 'ack' && result.send) person.outbox.push(result.send);
        }
      };
      for (let step = 0; step < 40; step++) {
        const person = random.pick(people);
        const roll = random.next();
        if (roll < 0.4) {
          const chars = Array.from(person.text.text);
          const at = random.int(chars.length + 1);
          const cut = random.int(Math.min(3, chars.length - at) + 1);
          const inserted = random.next() < 0.8 ? randomText(random, 2) : '';
          const next = chars.slice(0, at).join('') + inserted + chars.slice(at + cut).join('');
          const sent = person.text.edit(next, chars.slice(0, at).join('').length + inserted.length);
          if (sent) person.outbox.push(sent);
        } else if (roll < 0.7 && person.outbox.length > 0) {
          server.submit(person.outbox.shift(), person.name);
        } else {
          deliver(person);
        }
      }
      // Quiesce: send everything, deliver everything, until nobody has anything pending.
      for (let round = 0; round < 100 && people.some((p) => p.outbox.length || p.seen < server.log.length); round++) {
        for (const p of people) {
          while (p.outbox.length) server.submit(p.outbox.shift(), p.name);
          while (p.seen < server.log.length) {
            const result = p.text.receive(server.log[p.seen++]);
            if (result.kind === 'ack' && result.send) p.outbox.push(result.send);
          }
        }
      }
      for (const p of people) {
        assert.equal(p.text.hasPending, false, `seed ${seed}: ${p.name} still has pending edits`);
        assert.equal(p.text.text, server.text, `seed ${seed}: ${p.name} diverged`);
      }
    }
  });
});
