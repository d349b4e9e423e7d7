// The same broadcast as Program.cs's, from Node with ws (what Hocuspocus sends through): one ws.send per client.
//   node node-server.mjs PORT
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 5098);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/clients') { res.end(String(wss.clients.size)); return; }
  if (url.pathname === '/start' && req.method === 'POST') {
    broadcast(Number(url.searchParams.get('rate')), Number(url.searchParams.get('seconds')), Number(url.searchParams.get('bytes')));
    res.end('ok');
    return;
  }
  res.statusCode = 404;
  res.end();
});
const wss = new WebSocketServer({ server, path: '/ws' });
server.listen(port, '127.0.0.1');

function broadcast(rate, seconds, bytes) {
  const pad = 'x'.repeat(Math.max(0, bytes - 60));
  const start = Date.now();
  let n = 0;
  const timer = setInterval(() => {
    if (Date.now() - start >= seconds * 1000) { clearInterval(timer); return; }
    const at = performance.timeOrigin + performance.now();
    const message = Buffer.from(`{"n":${n++},"t":${at},"pad":"${pad}"}`);
    for (const client of wss.clients) client.send(message, { binary: false });
  }, 1000 / rate);
}
