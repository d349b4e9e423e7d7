// The floor of a broadcast: what one delivered message costs the server when a process does nothing but send the
// same message to every client at a fixed rate, three ways on the same machine, each server pinned to a core:
//   signalr    ASP.NET Core SignalR, what BriefingRoom's event batches go through (floor/Program.cs);
//   websocket  ASP.NET Core with Kestrel's WebSockets and no SignalR (floor/Program.cs);
//   node       Node with ws, what Hocuspocus sends through (floor/node-server.mjs).
// It answers one question for issue 11: how far below SignalR's cost per delivery can this stack go at all.
//
//   dotnet build -c Release tests/side-by-side/floor
//   taskset -c 1 node floor.mjs [--servers signalr,websocket,node] [--clients 250] [--rate 50] [--bytes 450]
//       [--warmup 60] [--duration 30] [--server-cpus 0]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { HubConnectionBuilder, HttpTransportType, LogLevel } from '@microsoft/signalr';
import { freePort, percentiles, proc } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs, []));
const options = {
  servers: (args.servers ?? 'signalr,websocket,node').split(','),
  clients: Number(args.clients ?? 250),
  rate: Number(args.rate ?? 50),
  bytes: Number(args.bytes ?? 450),
  warmup: Number(args.warmup ?? 60),
  duration: Number(args.duration ?? 30),
  serverCpus: args['server-cpus'] ?? '0',
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();
const log = (message) => process.stderr.write(`${message}\n`);

async function until(check, what, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { if (await check()) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function run(server) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const command = server === 'node'
    ? ['node', [join(here, 'floor', 'node-server.mjs'), String(port)]]
    : ['dotnet', [join(here, 'floor', 'bin', 'Release', 'net10.0', 'FanoutFloor.dll'), server, String(port)]];
  const child = spawn('taskset', ['-c', options.serverCpus, command[0], ...command[1]], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await until(async () => (await fetch(`${base}/clients`)).ok, `${server} to listen`);
    let received = 0;
    let measuring = false;
    const latencies = [];
    let first = Infinity;
    let last = -Infinity;
    const onMessage = (stamp) => {
      if (!measuring) return;
      received++;
      first = Math.min(first, stamp.n);
      last = Math.max(last, stamp.n);
      latencies.push(epochNow() - stamp.t);
    };
    const closers = [];
    for (let i = 0; i < options.clients; i++) {
      if (server === 'signalr') {
        const hub = new HubConnectionBuilder()
          .withUrl(`${base}/hub`, { transport: HttpTransportType.WebSockets, skipNegotiation: true })
          .configureLogging(LogLevel.None).build();
        hub.on('m', onMessage);
        await hub.start();
        closers.push(() => hub.stop());
      } else {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        socket.on('message', (data) => onMessage(JSON.parse(data)));
        await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
        closers.push(() => socket.close());
      }
    }
    await until(async () => Number(await (await fetch(`${base}/clients`)).text()) === options.clients, 'every client');
    await fetch(`${base}/start?rate=${options.rate}&seconds=${options.warmup + options.duration + 2}&bytes=${options.bytes}`, { method: 'POST' });
    await sleep(options.warmup * 1000);
    const cpu0 = proc.cpu(child.pid);
    const t0 = Date.now();
    measuring = true;
    await sleep(options.duration * 1000);
    measuring = false;
    const cpu = proc.cpu(child.pid) - cpu0;
    const seconds = (Date.now() - t0) / 1000;
    const rss = proc.statusKb(child.pid, 'VmRSS') / 1024;
    await Promise.all(closers.map((close) => close()));
    const latency = percentiles(latencies);
    return {
      server,
      expected: (last - first + 1) * options.clients, sent: (last - first + 1) / seconds,
      received,
      cores: cpu / seconds,
      perDelivery: (cpu / received) * 1e6,
      p50: latency.p50, p99: latency.p99,
      rss,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

const pressure = () => readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0];
log(`floor: ${options.clients} clients, ${options.rate} messages/s of ${options.bytes} bytes, warm-up ${options.warmup} s, measured ${options.duration} s; ${pressure()}`);
const results = [];
for (const server of options.servers) {
  log(`${server} ...`);
  results.push(await run(server));
  log(`  done; ${pressure()}`);
}
console.log(`| ${options.clients} clients, ${options.rate} messages/s of ${options.bytes} bytes | ${results.map((r) => r.server).join(' | ')} |`);
console.log(`|---|${results.map(() => '---').join('|')}|`);
const row = (name, value) => console.log(`| ${name} | ${results.map(value).join(' | ')} |`);
row('delivered / sent while measuring (messages × clients)', (r) => `${r.received} / ${r.expected}`);
row('messages sent a second', (r) => r.sent.toFixed(1));
row('server CPU (cores)', (r) => r.cores.toFixed(3));
row('server CPU per delivered message (µs)', (r) => r.perDelivery.toFixed(1));
row('send → client p50 / p99 (ms)', (r) => `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)}`);
row('server RSS (MB)', (r) => r.rss.toFixed(0));
process.exit(0);
