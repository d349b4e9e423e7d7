// What bench.mjs and floor.mjs both measure with: a process's CPU and memory from /proc, a free port, percentiles.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** count, p50, p95, p99 and max of a list of numbers. */
export function percentiles(values) {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** CPU seconds (utime + stime) and memory of a process, from /proc. */
export const proc = {
  cpu(pid) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  },
  statusKb(pid, field) {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field + ':'));
    return line ? Number(line.split(/\s+/)[1]) : NaN;
  },
  resetPeak(pid) {
    try { execFileSync('sh', ['-c', `echo 5 > /proc/${pid}/clear_refs`]); } catch { /* not allowed: the peak since start */ }
  },
};

/** A TCP port on loopback that nothing listens on just now. */
export async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
