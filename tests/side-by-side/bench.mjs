// The same live-editing workload against BriefingRoom and against Hocuspocus, from one Node process, with each
// server's official client: @microsoft/signalr (with the browser's own OT modules from wwwroot/js) and
// @hocuspocus/provider + yjs. One clock (process.hrtime.bigint), the same edit (one letter at a random place),
// the same schedule (open loop: each typist's keystrokes are due every 1/rate s, whatever the answers).
// Besides latency and CPU it counts the messages that carried the edits (event batches, Yjs updates) per delivered
// edit: below 1 when edits travel together. It also reports when each edit's first copy reached another delegate (the
// server's delay before its fan-out, without the fan-out's spread) and the harness's own stalls while measuring, so
// that a tail the harness made is not read as the server's.
//
//   taskset -c 1 node bench.mjs [--servers briefingroom,hocuspocus,hocuspocus-sqlite] [--delegates 250]
//       [--typists 50] [--rate 1] [--duration 60] [--warmup 5] [--join-window 10] [--server-cpus 0]
//       [--dll ../../src/BriefingRoom/bin/Release/net10.0/BriefingRoom.dll] [--markdown FILE] [--light-observers]
//       [--scenario typing|storm|soak] [--connections 2000] [--idle 10] [--churn 1] [--sample 30]
//
// --scenario storm: --connections connections (spread over --delegates accounts) join one meeting at the same moment;
// reports how many joined, how long until all had, and then, after --idle seconds, the server's RSS per connection
// and the CPU it used meanwhile with every connection open and nothing happening (its keep-alive's cost), and each
// connection's longest silence meanwhile (a page shows the link as gone after SILENCE_MS without a frame).
//
// --scenario soak (BriefingRoom only): a meeting at work for --duration s, as a summit's day is: --typists type at --rate
// while, every --churn s, one of the other delegates leaves and joins again (a closed laptop, a lost Wi-Fi); the
// server's RSS and CPU every --sample s, and at the end whether every delegate's text is the server's. A server that
// keeps something per connection, per operation or per event for good shows it here as RSS that keeps climbing.
//
// Each server is started here as a child process pinned with taskset to --server-cpus; start this harness
// pinned to another core. Prints a markdown table; exits 0 (it compares, it does not judge).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, appendFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { HubConnectionBuilder, HttpTransportType, LogLevel } from '@microsoft/signalr';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { OtClient, OtClientState } from '../../wwwroot/js/ot-client.js';
import { SILENCE_MS, hearEveryFrame } from '../../wwwroot/js/room-session.js';
import { INITIAL_TEXT, TOKEN, keystroke, seeded } from './workload.mjs';
import { freePort, percentiles, proc } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const T0 = process.hrtime.bigint();
/** Milliseconds on the one clock of this process. */
const now = () => Number(process.hrtime.bigint() - T0) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const log = (message) => process.stderr.write(`[${(now() / 1000).toFixed(1).padStart(7)}s] ${message}\n`);

const options = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------- measurement

class Recorder {
  constructor() {
    this.ops = new Map();
    this.fromSend = [];
    this.fromTyped = [];
    this.firstCopy = [];
    this.acks = [];
    this.measuring = false;
    this.messages = 0;
  }

  /** A message carrying edits reached a client (one batch, or one Yjs update), counted while measuring. */
  message() {
    if (this.measuring) this.messages++;
  }

  sent(id, author, typed, sent) {
    this.ops.set(id, { author, typed, sent, measured: this.measuring, received: 0, acked: false });
  }

  arrived(id, receiver, at) {
    const op = this.ops.get(id);
    if (!op || !op.measured) return;
    if (receiver === op.author) {
      if (!op.acked) this.acks.push(at - op.sent);
      op.acked = true;
      return;
    }
    if (op.received++ === 0) this.firstCopy.push(at - op.sent);
    this.fromSend.push(at - op.sent);
    this.fromTyped.push(at - op.typed);
  }

  measured() { return [...this.ops.values()].filter((o) => o.measured); }

  allDelivered(receivers, needAck) {
    return this.measured().every((o) => o.received >= receivers && (!needAck || o.acked));
  }
}

// ---------------------------------------------------------------- servers

function startProcess(command, args, env, readyPattern, name, cwd = here) {
  const pinned = options.serverCpus ? ['taskset', ['-c', options.serverCpus, command, ...args]] : [command, args];
  const child = spawn(pinned[0], pinned[1], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.slice(-10).join('\n')}`)), 90_000);
    const onData = (chunk) => {
      const text = chunk.toString();
      if (output.length < 200) output.push(text);
      if (readyPattern.test(text)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${output.slice(-10).join('\n')}`)); });
  });
}

async function api(url, path, { method = 'GET', body, token } = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 429 && attempt < 20) {
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    const text = await response.text();
    return { status: response.status, json: text ? safeJson(text) : null, text };
  }
}

function safeJson(text) { try { return JSON.parse(text); } catch { return null; } }

async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

// ---------------------------------------------------------------- BriefingRoom client

const MEMBER_STATES = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'EL', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
const EMPTY = TextOperation.identity(0);

/**
 * A delegate following the browser's rules: load the room over HTTP while joining over the hub; event batches applied in
 * sequence order (a hole waited 400 ms, then GetEventsSince); OT acks from the event stream.
 */
class BriefingRoomDelegate {
  constructor(url, token, index, keepText, recorder) {
    Object.assign(this, { url, token, index, keepText, recorder, docs: new Map(), held: [], lastSeq: 0, errors: [], gapTimer: null });
    this.hub = new HubConnectionBuilder()
      .withUrl(new URL('/hubs/briefing', url).toString(), { transport: HttpTransportType.WebSockets, skipNegotiation: true, accessTokenFactory: () => token })
      .configureLogging(LogLevel.None)
      .build();
    this.hub.on('MeetingEvents', (batch) => this.receive(batch));
    this.hub.on('PresenceChanged', () => {});
    // As the page hears the server: every frame, pings included.
    hearEveryFrame(this.hub);
    this.hub.onheard = () => this.heard();
  }

  /** From now on, keeps the longest time this connection heard nothing from the server (the page's SILENCE_MS clock). */
  listenQuietly() {
    this.quiet = { last: now(), longest: 0 };
  }

  heard() {
    if (!this.quiet) return;
    const at = now();
    this.quiet.longest = Math.max(this.quiet.longest, at - this.quiet.last);
    this.quiet.last = at;
  }

  longestSilence() {
    return this.quiet ? Math.max(this.quiet.longest, now() - this.quiet.last) : NaN;
  }

  /** As the page joins (room-session.js): the room loads over HTTP while the hub connects, then JoinMeeting. */
  async join() {
    const started = now();
    const loading = this.loadSnapshot();
    loading.catch(() => {});
    await this.hub.start();
    const connected = now();
    const joined = await this.hub.invoke('JoinMeeting', 1);
    const joinedAt = now();
    const snapshot = await loading;
    this.lastSeq = snapshot.seq;
    for (const text of snapshot.texts) {
      this.docs.set(text.id, { text: this.keepText ? text.text : null, ot: new OtClient(text.revision), bufferTyped: 0 });
    }
    // Committed between the room's load and the join: not coming live, so fetched now.
    if (snapshot.seq < joined.seq) await this.fetchSince();
    // Where a join's time goes, as the client sees it: the WebSocket and SignalR handshake, JoinMeeting, and what
    // was left of loading the room (over HTTP since the start) after the join.
    this.phases = { connect: connected - started, joinMeeting: joinedAt - connected, snapshot: now() - joinedAt };
    this.drain();
    return snapshot;
  }

  async loadSnapshot() {
    const response = await fetch(new URL('/api/meetings/1/snapshot', this.url), { headers: { authorization: `Bearer ${this.token}`, 'accept-encoding': 'br, gzip' } });
    if (response.status !== 200) throw new Error(`snapshot: ${response.status}`);
    return response.json();
  }

  type(documentId, random, typed) {
    const doc = this.docs.get(documentId);
    const { at, char } = keystroke(random, doc.text.length);
    const op = TextOperation.builder().retain(at).insert(char).retain(doc.text.length - at).build();
    doc.text = op.apply(doc.text);
    const submission = doc.ot.applyLocal(op);
    if (submission) this.send(documentId, submission, typed);
    else if (!doc.bufferTyped) doc.bufferTyped = typed;
  }

  send(documentId, submission, typed) {
    const sent = now();
    this.recorder.sent(submission.clientOpId, this.index, typed || sent, sent);
    this.hub.invoke('SubmitOperation', 1, { documentId, baseRevision: submission.baseRevision, clientOpId: submission.clientOpId, operation: submission.operation })
      .catch((error) => this.errors.push(`SubmitOperation: ${error.message}`));
  }

  receive(batch) {
    this.recorder.message();
    if (batch.upTo <= this.lastSeq) return;
    this.held.push(batch);
    this.drain();
    if (this.held.length > 0 && !this.gapTimer) this.gapTimer = setTimeout(() => this.catchUp(), 400);
  }

  drain() {
    for (;;) {
      this.held = this.held.filter((b) => b.upTo > this.lastSeq);
      const next = this.held.filter((b) => b.from <= this.lastSeq).sort((a, b) => a.from - b.from)[0];
      if (!next) return;
      this.held.splice(this.held.indexOf(next), 1);
      for (const e of next.events) if (e.seq > this.lastSeq) this.apply(e);
      this.lastSeq = Math.max(this.lastSeq, next.upTo);
    }
  }

  async catchUp() {
    this.gapTimer = null;
    if (this.held.length === 0) return;
    try {
      await this.fetchSince();
    } catch (error) {
      this.errors.push(`catch-up: ${error.message}`);
    }
  }

  /** The events after the last one applied, from GetEventsSince, then whatever was held behind them. */
  async fetchSince() {
    const page = await this.hub.invoke('GetEventsSince', 1, this.lastSeq);
    for (const e of page.events) if (e.seq > this.lastSeq) this.apply(e);
    this.lastSeq = Math.max(this.lastSeq, page.upTo);
    this.drain();
  }

  apply(e) {
    this.lastSeq = e.seq;
    if (e.type !== 'text.edited') return;
    const { documentId, revision, clientOpId, operation } = e.payload;
    this.recorder.arrived(clientOpId, this.index, now());
    const doc = this.docs.get(documentId);
    if (!doc) return;
    if (doc.ot.inFlightOpId === clientOpId) {
      const next = doc.ot.serverAck();
      if (next) this.send(documentId, next, doc.bufferTyped);
      doc.bufferTyped = 0;
    } else if (revision === doc.ot.revision + 1) {
      const light = doc.text === null && doc.ot.state === OtClientState.Synchronized;
      const transformed = doc.ot.applyServer(light ? EMPTY : TextOperation.fromJSON(operation));
      if (doc.text !== null) doc.text = transformed.apply(doc.text);
    } else if (revision > doc.ot.revision + 1) {
      this.errors.push(`${documentId} jumped from ${doc.ot.revision} to ${revision}`);
    }
  }

  textOf(documentId) { return this.docs.get(documentId)?.text ?? null; }
  close() { return this.hub.stop(); }
}

/** Starts BriefingRoom on a fresh SQLite file, with `accounts` delegates who each hold a seat in meeting 1 and a bearer token. */
async function startBriefingRoom(name, accounts) {
  const dll = options.dll;
  if (!existsSync(dll)) throw new Error(`no ${dll}: dotnet build -c Release first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const data = mkdtempSync(join(tmpdir(), 'br-side-'));
  const child = await startProcess('dotnet', [dll, '--urls', url], {
    ASPNETCORE_ENVIRONMENT: 'Development',
    ConnectionStrings__BriefingRoom: `Data Source=${join(data, 'briefingroom.db')}`,
    Demo__Password: 'Side-by-side-2025!',
    Logging__LogLevel__Default: 'Warning',
    'Logging__LogLevel__Microsoft.Hosting.Lifetime': 'Information',
    // Only the account setup (hundreds of registrations from one address, grants by one admin) would hit these.
    Briefing__RateLimits__ApiPerSecond: '100000', Briefing__RateLimits__ApiBurst: '100000',
    Briefing__RateLimits__AnonymousPerSecond: '100000', Briefing__RateLimits__AnonymousBurst: '100000',
    Briefing__Mail__PickupFolder: join(data, 'mail'),
  }, /Now listening on/, name, dirname(dll));
  const stop = async () => {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const signIn = await api(url, '/api/auth/login', { method: 'POST', body: { email: 'admin@briefing.example', password: 'Side-by-side-2025!' } });
    if (signIn.status !== 200) throw new Error(`admin sign-in: ${signIn.status} ${signIn.text}`);
    const admin = signIn.json.accessToken;
    log(`${name}: registering ${accounts} delegates`);
    const tokens = new Array(accounts);
    await pool([...Array(accounts).keys()], 4, async (i) => {
      const email = `delegate${String(i).padStart(5, '0')}@load.example`;
      const password = 'Load-delegate-2025!';
      // A seat comes by invitation: the app runs in Development without SMTP, so the answer carries the link.
      const code = MEMBER_STATES[i % MEMBER_STATES.length];
      const invited = await api(url, '/api/meetings/1/invitations', { method: 'POST', token: admin, body: { email, displayName: `Delegate ${i} (${code})`, role: 'delegate', delegationCode: code } });
      if (invited.status !== 200) throw new Error(`invitation: ${invited.status} ${invited.text}`);
      const token = invited.json.link.slice(invited.json.link.indexOf('#/invitation/') + '#/invitation/'.length);
      const accepted = await api(url, '/api/invitations/accept', { method: 'POST', body: { token, password } });
      if (accepted.status !== 200) throw new Error(`accepting the invitation: ${accepted.status} ${accepted.text}`);
      const login = await api(url, '/api/auth/login', { method: 'POST', body: { email, password } });
      if (login.status !== 200) throw new Error(`delegate sign-in: ${login.status} ${login.text}`);
      tokens[i] = login.json.accessToken;
    });
    const snapshotResponse = await api(url, '/api/meetings/1', { token: admin });
    if (snapshotResponse.status !== 200) throw new Error(`GET /api/meetings/1: ${snapshotResponse.status} ${snapshotResponse.text}`);
    const item = snapshotResponse.json.items.find((i) => i.status !== 'agreed' && !i.lock);
    return { url, child, admin, tokens, documentId: `draft:${item.id}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function briefingRoom(report) {
  const name = 'BriefingRoom';
  const { url, child, admin, tokens, documentId, stop } = await startBriefingRoom(name, options.delegates);
  try {
    const recorder = new Recorder();
    // Every delegate keeps the text and applies every operation, as a browser does, unless --light-observers:
    // a Yjs client cannot skip applying updates, so this is the like-for-like setting.
    const keep = options.lightObservers
      ? new Set([...Array(options.typists).keys(), ...[1, 2, 3, 4, 5].map((k) => options.delegates - k)])
      : new Set(Array(options.delegates).keys());
    const clients = tokens.map((token, i) => new BriefingRoomDelegate(url, token, i, keep.has(i), recorder));
    const join = await joinAll(name, child.pid, clients, (c) => c.join());
    join.phases = joinSteps(clients);
    const typing = await typeAll(name, child.pid, recorder, clients.slice(0, options.typists), (c, random, typed) => c.type(documentId, random, typed), clients.length - 1, true);
    const server = (await api(url, '/api/meetings/1/snapshot', { token: admin })).json.texts.find((t) => t.id === documentId).text;
    const kept = clients.filter((c) => c.textOf(documentId) !== null);
    const converged = kept.every((c) => c.textOf(documentId) === server);
    const errors = clients.flatMap((c) => c.errors);
    report.push({ name, join, typing, converged, errors, persistence: 'SQLite (WAL, synchronous=FULL), every operation committed before it is acknowledged or broadcast' });
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  } finally {
    await stop();
  }
}

const JOIN_STEPS = ['connect', 'joinMeeting', 'snapshot'];

/** Percentiles of each step of the BriefingRoom clients' joins (see BriefingRoomDelegate.join). */
function joinSteps(clients) {
  const joined = clients.filter((c) => c.phases);
  return Object.fromEntries(JOIN_STEPS.map((k) => [k, percentiles(joined.map((c) => c.phases[k]))]));
}

/** A table cell: each join step's p50 / p95 in `unit` ms (1000: seconds), or n/a for a server without steps. */
function joinStepsCell(phases, unit, digits) {
  if (!phases) return 'n/a';
  const f = (v) => (Number.isFinite(v) ? (v / unit).toFixed(digits) : 'n/a');
  return JOIN_STEPS.map((k) => `${f(phases[k].p50)} / ${f(phases[k].p95)}`).join(', ');
}

/** The storm: `connections` connections (over `delegates` accounts) join meeting 1 at once; then, idle, memory per connection. */
async function briefingRoomStorm(report) {
  const name = 'BriefingRoom';
  const { url, child, tokens, stop } = await startBriefingRoom(name, options.delegates);
  try {
    const clients = Array.from({ length: options.connections }, (_, i) => new BriefingRoomDelegate(url, tokens[i % tokens.length], i, false, new Recorder()));
    const result = await stormAll(name, child.pid, clients, (c) => c.join());
    result.phases = joinSteps(clients);
    report.push({ name, storm: result, errors: clients.flatMap((c) => c.errors) });
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  } finally {
    await stop();
  }
}

/** The soak: see the header. Samples of the server's RSS and CPU, the rejoins, and whether the texts agree at the end. */
async function briefingRoomSoak(report) {
  const name = 'BriefingRoom';
  const { url, child, admin, tokens, documentId, stop } = await startBriefingRoom(name, options.delegates);
  try {
    const recorder = new Recorder();
    const clients = tokens.map((token, i) => new BriefingRoomDelegate(url, token, i, true, recorder));
    const join = await joinAll(name, child.pid, clients, (c) => c.join());
    const random = seeded(7);
    log(`${name}: soak of ${options.duration} s, ${options.typists} typists × ${options.rate} op/s, one rejoin every ${options.churn} s`);
    const start = now();
    const end = start + options.duration * 1000;
    const typing = clients.slice(0, options.typists).map((c, i) => {
      const period = 1000 / options.rate;
      let timer = null;
      const next = (k) => {
        const due = start + i * (period / options.typists) + k * period;
        if (due >= end) return;
        timer = setTimeout(() => { c.type(documentId, random, 0); next(k + 1); }, Math.max(0, due - now()));
      };
      next(0);
      return () => clearTimeout(timer);
    });
    let rejoins = 0;
    const rejoinErrors = [];
    const churn = (async () => {
      for (let k = 1; start + k * options.churn * 1000 < end; k++) {
        await sleep(start + k * options.churn * 1000 - now());
        const j = options.typists + Math.floor(random() * (clients.length - options.typists));
        await clients[j].close().catch(() => {});
        const fresh = new BriefingRoomDelegate(url, tokens[j], j, true, recorder);
        clients[j] = fresh;
        try {
          await fresh.join();
          rejoins++;
        } catch (error) {
          rejoinErrors.push(`rejoin: ${error.message}`);
        }
      }
    })();
    const samples = [];
    let lastCpu = proc.cpu(child.pid);
    let lastAt = now();
    for (let k = 0; start + k * options.sample * 1000 <= end; k++) {
      await sleep(start + k * options.sample * 1000 - now());
      const cpu = proc.cpu(child.pid);
      const at = now();
      samples.push({ t: (at - start) / 1000, rssMb: proc.statusKb(child.pid, 'VmRSS') / 1024, cores: k === 0 ? NaN : (cpu - lastCpu) / ((at - lastAt) / 1000), rejoins });
      lastCpu = cpu;
      lastAt = at;
      log(`${name}: ${samples.at(-1).t.toFixed(0)} s, RSS ${samples.at(-1).rssMb.toFixed(0)} MB, ${rejoins} rejoins`);
    }
    await churn;
    typing.forEach((cancel) => cancel());
    // Every delegate's text is the server's once the last edits have arrived (for at most 30 s).
    let server = null;
    let agree = 0;
    for (const deadline = now() + 30_000; now() < deadline; await sleep(250)) {
      server = (await api(url, '/api/meetings/1/snapshot', { token: admin })).json.texts.find((t) => t.id === documentId).text;
      agree = clients.filter((c) => c.textOf(documentId) === server).length;
      if (agree === clients.length) break;
    }
    const errors = [...rejoinErrors, ...clients.flatMap((c) => c.errors)];
    report.push({ name, join, samples, rejoins, agree, delegates: clients.length, textLength: server?.length ?? 0, errors });
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  } finally {
    await stop();
  }
}

function soakMarkdown(report) {
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const lines = [];
  for (const r of report) {
    lines.push(`${r.name}: ${options.delegates} delegates, ${options.typists} typing at ${options.rate} op/s for ${options.duration} s, ` +
      `one rejoin every ${options.churn} s (${r.rejoins} made); texts equal at the end: ${r.agree} of ${r.delegates} ` +
      `(the text grew to ${r.textLength} characters); errors: ${r.errors.length}`, '',
      '| time (s) | server RSS (MB) | server CPU since the last sample (cores) | rejoins so far |', '|---|---|---|---|',
      ...r.samples.map((s) => `| ${f(s.t, 0)} | ${f(s.rssMb, 0)} | ${f(s.cores, 3)} | ${s.rejoins} |`));
    for (const e of r.errors.slice(0, 3)) lines.push(`- error: ${e}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- Hocuspocus client

/**
 * The id (client:clock) of the one item in a Yjs v1 update made by one keystroke, read from its first varuints
 * (groups = 1, structs = 1, client, clock) without decoding the rest; null for any other shape. The harness
 * runs 250 clients on one core: a full decodeUpdate per arrival would be measurement cost charged to Hocuspocus.
 */
function firstStructId(update) {
  let position = 0;
  const varuint = () => {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const byte = update[position++];
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
    }
  };
  if (varuint() !== 1 || varuint() !== 1) return null;
  const client = varuint();
  const clock = varuint();
  return `${client}:${clock}`;
}

class HocuspocusDelegate {
  constructor(url, index, keepText, recorder) {
    Object.assign(this, { index, recorder, errors: [] });
    this.doc = new Y.Doc();
    this.text = this.doc.getText('text');
    this.provider = null;
    this.url = url;
    this.keepText = keepText;
    this.doc.on('update', (update, origin) => {
      if (origin !== this.provider) return;
      const at = now();
      this.recorder.message();
      const key = firstStructId(update);
      if (key) {
        this.recorder.arrived(key, this.index, at);
      } else {
        for (const struct of Y.decodeUpdate(update).structs) this.recorder.arrived(`${struct.id.client}:${struct.id.clock}`, this.index, at);
      }
    });
  }

  join() {
    return new Promise((resolve, reject) => {
      this.provider = new HocuspocusProvider({
        url: this.url,
        name: 'draft-1',
        document: this.doc,
        token: TOKEN,
        WebSocketPolyfill: WebSocket,
        // No awareness: its states are re-sent every 15 s by every client, traffic BriefingRoom does not have.
        awareness: null,
        onSynced: () => resolve(),
        onAuthenticationFailed: ({ reason }) => reject(new Error(reason)),
      });
    });
  }

  type(random, typed) {
    const { at, char } = keystroke(random, this.text.length);
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    const sent = now();
    this.recorder.sent(`${this.doc.clientID}:${clock}`, this.index, typed, sent);
    // The provider sends the update from the document's update event, synchronously, and the server answers
    // with a sync status, which counts as the acknowledgement here.
    this.text.insert(at, char);
  }

  close() { this.provider?.destroy(); }
}

async function hocuspocus(report, mode) {
  const name = mode === 'memory' ? 'Hocuspocus (in memory)' : 'Hocuspocus (extension-sqlite)';
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'hp-side-'));
  const child = await startProcess('node', [join(here, 'hocuspocus-server.mjs'), String(port), mode, join(data, 'hocuspocus.sqlite')], {}, /listening on/, name);
  try {
    const recorder = new Recorder();
    const clients = Array.from({ length: options.delegates }, (_, i) => new HocuspocusDelegate(`ws://127.0.0.1:${port}`, i, i < options.typists, recorder));
    const join = await joinAll(name, child.pid, clients, (c) => c.join());
    const typing = await typeAll(name, child.pid, recorder, clients.slice(0, options.typists), (c, random, typed) => c.type(random, typed), clients.length - 1, false);
    const first = clients[0].text.toString();
    const converged = clients.every((c) => c.text.toString() === first);
    report.push({
      name, join, typing, converged, errors: clients.flatMap((c) => c.errors),
      persistence: mode === 'memory'
        ? 'none: documents in memory only'
        : 'SQLite through @hocuspocus/extension-sqlite: the whole document stored 2 s after the last change (at most 10 s), after the update was acknowledged and broadcast',
    });
    clients.forEach((c) => c.close());
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(data, { recursive: true, force: true });
  }
}

async function hocuspocusStorm(report) {
  const name = 'Hocuspocus (in memory)';
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'hp-side-'));
  const child = await startProcess('node', [join(here, 'hocuspocus-server.mjs'), String(port), 'memory'], {}, /listening on/, name);
  try {
    const clients = Array.from({ length: options.connections }, (_, i) => new HocuspocusDelegate(`ws://127.0.0.1:${port}`, i, false, new Recorder()));
    const result = await stormAll(name, child.pid, clients, (c) => c.join());
    report.push({ name, storm: result, errors: clients.flatMap((c) => c.errors) });
    clients.forEach((c) => c.close());
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(data, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the workload

/**
 * Every connection joins at the same moment (no schedule: as many as the client side can open at once). Then the
 * room stays idle for --idle seconds and the server's resident memory is read again: (after - before) / connections.
 */
async function stormAll(name, pid, clients, join) {
  await sleep(2000);
  const rssBeforeKb = proc.statusKb(pid, 'VmRSS');
  log(`${name}: ${clients.length} connections join one meeting at once (server RSS ${(rssBeforeKb / 1024).toFixed(0)} MB)`);
  const cpu0 = proc.cpu(pid);
  const harness0 = process.cpuUsage();
  const t0 = now();
  const times = [];
  let errors = 0;
  await Promise.all(clients.map(async (c) => {
    try {
      await join(c);
      times.push(now() - t0);
    } catch (error) {
      errors++;
      c.errors.push(`join: ${error.message}`);
    }
  }));
  const allJoinedMs = now() - t0;
  const cpu = proc.cpu(pid) - cpu0;
  const harness = process.cpuUsage(harness0);
  log(`${name}: ${times.length} joined, ${errors} failed, all within ${(allJoinedMs / 1000).toFixed(1)} s; idle for ${options.idle} s`);
  const idleCpu0 = proc.cpu(pid);
  for (const c of clients) c.listenQuietly?.();
  await sleep(options.idle * 1000);
  const idleCores = (proc.cpu(pid) - idleCpu0) / options.idle;
  const rssAfterKb = proc.statusKb(pid, 'VmRSS');
  // Each idle connection's longest silence, as the harness heard it: a page counts the server gone after SILENCE_MS.
  const silences = clients.map((c) => c.longestSilence?.() ?? NaN).filter(Number.isFinite);
  return {
    idleCores, silence: percentiles(silences),
    ...percentiles(times), joined: times.length, errors, allJoinedMs, cpuSeconds: cpu, harnessCpuSeconds: (harness.user + harness.system) / 1e6,
    rssBeforeMb: rssBeforeKb / 1024, rssAfterMb: rssAfterKb / 1024, perConnectionKb: (rssAfterKb - rssBeforeKb) / clients.length,
    peakRssMb: proc.statusKb(pid, 'VmHWM') / 1024,
  };
}


/** Every delegate connects and joins on an open-loop schedule spread over the join window. */
async function joinAll(name, pid, clients, join) {
  log(`${name}: ${clients.length} delegates join within ${options.joinWindow} s`);
  proc.resetPeak(pid);
  const cpu0 = proc.cpu(pid);
  const t0 = now() + 100;
  const times = [];
  let errors = 0;
  const joins = clients.map(async (c, i) => {
    const due = t0 + (i * options.joinWindow * 1000) / clients.length;
    await sleep(due - now());
    try {
      await join(c);
      times.push(now() - due);
    } catch (error) {
      errors++;
      c.errors.push(`join: ${error.message}`);
    }
  });
  await Promise.all(joins);
  const seconds = (now() - t0) / 1000;
  return { ...percentiles(times), errors, cpu: (proc.cpu(pid) - cpu0) / seconds, peakRssMb: proc.statusKb(pid, 'VmHWM') / 1024 };
}

/**
 * The harness's own pauses while it measures: every time its event loop could not run a 1 ms timer for more than
 * 10 ms (its garbage collector, a burst of messages to parse, another process on its core). Every copy that arrived
 * meanwhile is stamped late by up to that much, whichever server sent it, so a latency tail that lines up with these is the
 * harness's, not the server's.
 */
class StallWatch {
  constructor() { Object.assign(this, { timer: null, last: 0, count: 0, totalMs: 0, longestMs: 0 }); }
  start() {
    this.last = now();
    this.timer = setInterval(() => {
      const at = now();
      const gap = at - this.last;
      this.last = at;
      if (gap <= 10) return;
      this.count++;
      this.totalMs += gap;
      this.longestMs = Math.max(this.longestMs, gap);
    }, 1);
  }
  stop() { clearInterval(this.timer); }
  summary() { return { count: this.count, totalMs: this.totalMs, longestMs: this.longestMs }; }
}

/** Typists type one letter every 1/rate s each, on a fixed schedule that never waits for an answer. */
async function typeAll(name, pid, recorder, typists, type, receivers, needAck) {
  const periodMs = 1000 / options.rate;
  const step = periodMs / typists.length;
  const start = now() + 100;
  const measureFrom = start + options.warmup * 1000;
  const end = measureFrom + options.duration * 1000;
  log(`${name}: ${typists.length} typists × ${options.rate} op/s, ${options.warmup} s warm-up + ${options.duration} s`);
  const random = seeded(42);
  let cpu0 = NaN;
  let measureStart = NaN;
  const lateness = [];
  const stalls = new StallWatch();
  for (let k = 0; ; k++) {
    const due = start + k * step;
    if (due >= end) break;
    const wait = due - now();
    if (wait >= 1) await sleep(wait);
    if (!recorder.measuring && due >= measureFrom) {
      recorder.measuring = true;
      stalls.start();
      proc.resetPeak(pid);
      cpu0 = proc.cpu(pid);
      measureStart = now();
    }
    if (recorder.measuring) lateness.push(now() - due);
    type(typists[k % typists.length], random, due);
  }
  const cpu = (proc.cpu(pid) - cpu0) / ((now() - measureStart) / 1000);
  const peakRssMb = proc.statusKb(pid, 'VmHWM') / 1024;
  const deadline = now() + 30_000;
  while (!recorder.allDelivered(receivers, needAck) && now() < deadline) await sleep(20);
  recorder.measuring = false;
  stalls.stop();
  const measured = recorder.measured();
  const expected = measured.length * receivers;
  const received = measured.reduce((sum, o) => sum + o.received, 0);
  const result = {
    ops: measured.length, expected, received, messages: recorder.messages,
    fromSend: percentiles(recorder.fromSend), fromTyped: percentiles(recorder.fromTyped), ack: percentiles(recorder.acks),
    firstCopy: percentiles(recorder.firstCopy), cpu, peakRssMb, lateness: percentiles(lateness), stalls: stalls.summary(),
  };
  log(`${name}: p50 ${result.fromSend.p50.toFixed(1)} ms, p99 ${result.fromSend.p99.toFixed(1)} ms, max ${result.fromSend.max.toFixed(1)} ms, delivered ${received}/${expected}`);
  return result;
}

// ---------------------------------------------------------------- report

function stormMarkdown(report) {
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const rows = [
    ['joined / connections', (r) => `${r.storm.joined} / ${options.connections}`],
    ['failed or dropped', (r) => String(r.storm.errors)],
    ['all joined within (s)', (r) => f(r.storm.allJoinedMs / 1000, 2)],
    ['join done p50 / p95 (s from the start)', (r) => `${f(r.storm.p50 / 1000, 2)} / ${f(r.storm.p95 / 1000, 2)}`],
    ['server CPU for the storm (s)', (r) => f(r.storm.cpuSeconds, 2)],
    ['harness CPU for the storm (s, its one core)', (r) => f(r.storm.harnessCpuSeconds, 2)],
    ['join steps p50 / p95 (s): handshake, JoinMeeting, rest of the snapshot', (r) => joinStepsCell(r.storm.phases, 1000, 2)],
    ['server RSS before → after, idle (MB)', (r) => `${f(r.storm.rssBeforeMb, 0)} → ${f(r.storm.rssAfterMb, 0)}`],
    ['server RSS per connection, idle (KB)', (r) => f(r.storm.perConnectionKb, 1)],
    ['server CPU while idle, every connection open (cores)', (r) => f(r.storm.idleCores, 3)],
    [`idle: each connection's longest silence, p50 / p99 / max (ms; a page shows offline after ${SILENCE_MS})`,
      (r) => (r.storm.silence.count ? `${f(r.storm.silence.p50, 0)} / ${f(r.storm.silence.p99, 0)} / ${f(r.storm.silence.max, 0)}` : 'not measured')],
    ['server peak RSS (MB)', (r) => f(r.storm.peakRssMb, 0)],
  ];
  const lines = [
    `| ${options.connections} connections join one meeting at once (${options.delegates} accounts), idle ${options.idle} s | ${report.map((r) => r.name).join(' | ')} |`,
    `|---|${report.map(() => '---').join('|')}|`,
    ...rows.map(([label, value]) => `| ${label} | ${report.map(value).join(' | ')} |`),
  ];
  const br = report.find((r) => r.name === 'BriefingRoom');
  for (const other of report.filter((r) => r !== br && br)) {
    lines.push('', `BriefingRoom / ${other.name}: all joined ×${f(br.storm.allJoinedMs / other.storm.allJoinedMs, 2)}, memory per connection ×${f(br.storm.perConnectionKb / other.storm.perConnectionKb, 2)}`);
  }
  for (const r of report) for (const e of r.errors.slice(0, 3)) lines.push(`- ${r.name} error: ${e}`);
  return lines.join('\n');
}

function markdown(report) {
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const rows = [
    ['join: first snapshot / first sync p50 (ms)', (r) => f(r.join.p50)],
    ['join: p95 (ms)', (r) => f(r.join.p95)],
    ['join: max (ms)', (r) => f(r.join.max)],
    ['join: errors', (r) => String(r.join.errors)],
    ['join steps p50 / p95 (ms): handshake, JoinMeeting, rest of the snapshot', (r) => joinStepsCell(r.join.phases, 1, 1)],
    ['edit → other delegates p50 (ms)', (r) => f(r.typing.fromSend.p50)],
    ['edit → other delegates p95 (ms)', (r) => f(r.typing.fromSend.p95)],
    ['edit → other delegates p99 (ms)', (r) => f(r.typing.fromSend.p99)],
    ['edit → other delegates max (ms)', (r) => f(r.typing.fromSend.max)],
    ['edit → its first copy at another delegate p50 / p99 (ms)', (r) => `${f(r.typing.firstCopy.p50)} / ${f(r.typing.firstCopy.p99)}`],
    ['keystroke → other delegates p99 (ms)', (r) => f(r.typing.fromTyped.p99)],
    ['acknowledgement p50 / p99 (ms)', (r) => (r.typing.ack.count ? `${f(r.typing.ack.p50)} / ${f(r.typing.ack.p99)}` : 'not measured')],
    ['delivered / expected', (r) => `${r.typing.received} / ${r.typing.expected}`],
    ['messages that carried them, per delivered edit', (r) => f(r.typing.messages / r.typing.received, 2)],
    ['all texts equal', (r) => (r.converged ? 'yes' : 'NO')],
    ['client errors', (r) => String(r.errors.length)],
    ['server CPU while typing (cores)', (r) => f(r.typing.cpu, 2)],
    ['server CPU while joining (cores)', (r) => f(r.join.cpu, 2)],
    ['server peak RSS while typing (MB)', (r) => f(r.typing.peakRssMb, 0)],
    ['harness schedule lateness p99 (ms)', (r) => f(r.typing.lateness.p99)],
    ['harness stalls over 10 ms while measuring: count, total, longest (ms)', (r) => `${r.typing.stalls.count}, ${f(r.typing.stalls.totalMs, 0)}, ${f(r.typing.stalls.longestMs)}`],
  ];
  const lines = [
    `| ${options.delegates} delegates, ${options.typists} typing ${options.rate} op/s, ${options.duration} s | ${report.map((r) => r.name).join(' | ')} |`,
    `|---|${report.map(() => '---').join('|')}|`,
    ...rows.map(([label, value]) => `| ${label} | ${report.map(value).join(' | ')} |`),
  ];
  const br = report.find((r) => r.name === 'BriefingRoom');
  for (const other of report.filter((r) => r !== br && br)) {
    lines.push('', `BriefingRoom / ${other.name}: p50 ×${f(br.typing.fromSend.p50 / other.typing.fromSend.p50, 2)}, p99 ×${f(br.typing.fromSend.p99 / other.typing.fromSend.p99, 2)}, server CPU ×${f(br.typing.cpu / other.typing.cpu, 2)}, join p95 ×${f(br.join.p95 / other.join.p95, 2)}`);
  }
  lines.push('', ...report.map((r) => `- ${r.name} persistence: ${r.persistence}`));
  for (const r of report) for (const e of r.errors.slice(0, 3)) lines.push(`- ${r.name} error: ${e}`);
  const versions = ['@hocuspocus/server', '@hocuspocus/provider', 'yjs', '@microsoft/signalr']
    .map((p) => `${p} ${JSON.parse(readFileSync(join(here, 'node_modules', p, 'package.json'), 'utf8')).version}`).join(', ');
  let dotnet = '';
  try { dotnet = execFileSync('dotnet', ['--list-runtimes'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Microsoft.AspNetCore.App'))?.split(' [')[0] ?? ''; } catch { /* not installed */ }
  const affinity = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Cpus_allowed_list'))?.split(/\s+/)[1];
  lines.push(`- ${new Date().toISOString()}; ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${dotnet}; ${versions}`);
  lines.push(`- servers pinned to CPU ${options.serverCpus || '(not pinned)'}, harness on CPU ${affinity}; args: ${process.argv.slice(2).join(' ')}`);
  return lines.join('\n');
}

function parseArgs(args) {
  const o = {
    servers: ['briefingroom', 'hocuspocus'], delegates: 250, typists: 50, rate: 1, duration: 60, warmup: 5, joinWindow: 10,
    serverCpus: '0', lightObservers: false, scenario: 'typing', connections: 2000, idle: 10, churn: 1, sample: 30, dll: join(here, '..', '..', 'src', 'BriefingRoom', 'bin', 'Release', 'net10.0', 'BriefingRoom.dll'), markdown: null,
  };
  for (let i = 0; i < args.length; i++) {
    const value = () => args[++i];
    switch (args[i]) {
      case '--servers': o.servers = value().split(','); break;
      case '--delegates': o.delegates = Number(value()); break;
      case '--typists': o.typists = Number(value()); break;
      case '--rate': o.rate = Number(value()); break;
      case '--duration': o.duration = Number(value()); break;
      case '--warmup': o.warmup = Number(value()); break;
      case '--join-window': o.joinWindow = Number(value()); break;
      case '--server-cpus': o.serverCpus = value(); break;
      case '--dll': o.dll = value(); break;
      case '--markdown': o.markdown = value(); break;
      case '--light-observers': o.lightObservers = true; break;
      case '--scenario': o.scenario = value(); break;
      case '--connections': o.connections = Number(value()); break;
      case '--idle': o.idle = Number(value()); break;
      case '--churn': o.churn = Number(value()); break;
      case '--sample': o.sample = Number(value()); break;
      default: throw new Error(`unknown option ${args[i]}`);
    }
  }
  return o;
}

const report = [];
for (const server of options.servers) {
  if (options.scenario === 'soak') {
    if (server === 'briefingroom') await briefingRoomSoak(report);
    else throw new Error(`the soak runs against briefingroom only, not ${server}`);
  } else if (options.scenario === 'storm') {
    if (server === 'briefingroom') await briefingRoomStorm(report);
    else if (server === 'hocuspocus') await hocuspocusStorm(report);
    else throw new Error(`the storm runs against briefingroom and hocuspocus, not ${server}`);
  } else if (server === 'briefingroom') await briefingRoom(report);
  else if (server === 'hocuspocus') await hocuspocus(report, 'memory');
  else if (server === 'hocuspocus-sqlite') await hocuspocus(report, 'sqlite');
  else throw new Error(`unknown server ${server}`);
}
const table = options.scenario === 'soak' ? soakMarkdown(report)
  : options.scenario === 'storm' ? stormMarkdown(report) : markdown(report);
console.log(table);
if (options.markdown) appendFileSync(options.markdown, table + '\n\n');
process.exit(0);
