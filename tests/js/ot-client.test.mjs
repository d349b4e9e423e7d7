import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { OtClient, OtClientState } from '../../wwwroot/js/ot-client.js';
import { createRandom, randomOperation } from './random-edits.mjs';

const op = (json) => TextOperation.fromJSON(json);
const counter = (prefix) => {
  let n = 0;
  return () => `${prefix}${++n}`;
};

describe('OtClient', () => {
  test('a local edit while synchronized is sent at once', () => {
    const client = new OtClient(3, { newClientOpId: counter('op') });
    const sent = client.applyLocal(op(['a']));
    assert.deepEqual({ ...sent, operation: sent.operation.toJSON() },
      { clientOpId: 'op1', baseRevision: 3, operation: ['a'] });
    assert.equal(client.state, OtClientState.AwaitingAck);
  });

  test('edits made while awaiting an ack are buffered, composed, and sent on the ack', () => {
    const client = new OtClient(0, { newClientOpId: counter('op') });
    client.applyLocal(op(['a']));
    assert.equal(client.applyLocal(op([1, 'b'])), null);
    assert.equal(client.applyLocal(op([2, 'c'])), null);
    assert.equal(client.state, OtClientState.AwaitingAckWithBuffer);
    const next = client.serverAck();
    assert.equal(next.clientOpId, 'op2');
    assert.equal(next.baseRevision, 1);
    assert.deepEqual(next.operation.toJSON(), [1, 'bc']);
    assert.equal(client.serverAck(), null);
    assert.equal(client.state, OtClientState.Synchronized);
    assert.equal(client.revision, 2);
  });

  test('a server operation is transformed past the in-flight and buffered edits', () => {
    const client = new OtClient(0);
    client.applyLocal(op(['A']));
    client.applyLocal(op([1, 'B']));
    const toApply = client.applyServer(op(['🇪🇺']));
    assert.deepEqual(toApply.toJSON(), [2, '🇪🇺']);
    assert.deepEqual(client.inFlight.toJSON(), ['A', 4]);
    assert.deepEqual(client.buffer.toJSON(), [1, 'B', 4]);
    assert.equal(client.revision, 1);
  });

  test('a resend after reconnect keeps the op id and moves to the current revision', () => {
    const client = new OtClient(0, { newClientOpId: counter('op') });
    client.applyLocal(op(['x']));
    client.applyServer(op(['y']));
    const again = client.resend();
    assert.equal(again.clientOpId, 'op1');
    assert.equal(again.baseRevision, 1);
    assert.deepEqual(again.operation.toJSON(), ['x', 1]);
  });

  test('a no-op edit sends nothing', () => {
    const client = new OtClient(0);
    assert.equal(client.applyLocal(op([4])), null);
    assert.equal(client.state, OtClientState.Synchronized);
    assert.equal(client.resend(), null);
  });

  test('an ack with nothing in flight is an error', () => {
    assert.throws(() => new OtClient(0).serverAck(), /none is in flight/);
  });

  test('op ids are random UUIDs by default', () => {
    const sent = new OtClient(0).applyLocal(op(['a']));
    assert.match(sent.clientOpId, /^[0-9a-f-]{36}$/);
  });
});

// A server that commits with the same rule as OtServerDocument.Accept in C#: the incoming
// operation goes first in every transform against what was committed since its base revision.
function runSimulation(seed) {
  const random = createRandom(seed);
  const initial = random.next() < 0.5 ? '' : 'Orbán 🇪🇺';
  const server = { text: initial, log: [], committed: new Set() };
  const clients = Array.from({ length: 3 + random.int(4) }, (_, i) => ({
    ot: new OtClient(0, { newClientOpId: counter(`c${i}-`) }),
    text: initial,
    connected: true,
    subscribed: true,
    inbox: [],
    outbox: [],
  }));

  const commit = (from, submission) => {
    let operation = submission.operation;
    for (const entry of server.log.slice(submission.baseRevision)) {
      [operation] = TextOperation.transform(operation, entry.operation);
    }
    server.text = operation.apply(server.text);
    server.log.push({ clientOpId: submission.clientOpId, operation });
    server.committed.add(submission.clientOpId);
    for (const client of clients) {
      if (client === from) client.inbox.push({ ack: true });
      else if (client.subscribed) client.inbox.push({ operation });
    }
  };

  const serverReceive = (from) => {
    const message = from.outbox.shift();
    if (message.hello) {
      const { since, resend } = message.hello;
      from.subscribed = true;
      for (const entry of server.log.slice(since)) {
        from.inbox.push(resend && entry.clientOpId === resend.clientOpId ? { ack: true } : { operation: entry.operation });
      }
      if (resend && !server.committed.has(resend.clientOpId)) commit(from, resend);
    } else if (server.committed.has(message.submission.clientOpId)) {
      from.inbox.push({ ack: true });
    } else {
      commit(from, message.submission);
    }
  };

  const clientReceive = (client) => {
    const message = client.inbox.shift();
    if (message.ack) {
      const next = client.ot.serverAck();
      if (next) client.outbox.push({ submission: next });
    } else {
      client.text = client.ot.applyServer(message.operation).apply(client.text);
    }
  };

  const steps = 20 + random.int(40);
  for (let step = 0; step < steps; step++) {
    const client = random.pick(clients);
    const roll = random.next();
    if (roll < 0.3) {
      const edit = randomOperation(random, client.text);
      client.text = edit.apply(client.text);
      const submission = client.ot.applyLocal(edit);
      if (submission && client.connected) client.outbox.push({ submission });
    } else if (roll < 0.55) {
      if (client.outbox.length > 0) serverReceive(client);
    } else if (roll < 0.85) {
      if (client.inbox.length > 0) clientReceive(client);
    } else if (roll < 0.92) {
      Object.assign(client, { connected: false, subscribed: false, inbox: [], outbox: [] });
    } else if (!client.connected) {
      client.connected = true;
      client.outbox.push({ hello: { since: client.ot.revision, resend: client.ot.resend() } });
    }
  }

  for (const client of clients) {
    if (!client.connected) {
      client.connected = true;
      client.outbox.push({ hello: { since: client.ot.revision, resend: client.ot.resend() } });
    }
  }
  for (let guard = 0; ; guard++) {
    assert.ok(guard < 100_000, 'the messages never settled');
    const busy = clients.filter((c) => c.inbox.length > 0 || c.outbox.length > 0);
    if (busy.length === 0) break;
    const client = random.pick(busy);
    if (client.outbox.length > 0 && (client.inbox.length === 0 || random.next() < 0.5)) serverReceive(client);
    else clientReceive(client);
  }

  clients.forEach((client, i) => {
    assert.equal(client.ot.state, OtClientState.Synchronized, `client ${i} is not synchronized`);
    assert.equal(client.ot.revision, server.log.length, `client ${i} is at the wrong revision`);
    assert.equal(client.text, server.text, `client ${i} has a different text`);
  });
}

test('clients converge on the server text under random edits, delivery order and reconnects', () => {
  for (let seed = 1; seed <= 500; seed++) {
    try {
      runSimulation(seed);
    } catch (e) {
      assert.fail(`seed ${seed}: ${e.message}`);
    }
  }
});
