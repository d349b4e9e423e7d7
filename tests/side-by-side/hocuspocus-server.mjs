// A Hocuspocus server as its documentation sets one up, for the side-by-side benchmark.
//   node hocuspocus-server.mjs PORT memory|sqlite [SQLITE_FILE]
// memory: documents live in memory only (Hocuspocus's default).
// sqlite: @hocuspocus/extension-sqlite with its defaults: the whole document is stored 2 s after the
//         last change (at most 10 s after the first), not before an update is acknowledged.
import { Server } from '@hocuspocus/server';
import { INITIAL_TEXT, TOKEN } from './workload.mjs';

const [port, mode = 'memory', file = 'hocuspocus.sqlite'] = process.argv.slice(2);
const extensions = [];
if (mode === 'sqlite') {
  const { SQLite } = await import('@hocuspocus/extension-sqlite');
  extensions.push(new SQLite({ database: file }));
} else if (mode !== 'memory') {
  throw new Error(`unknown mode ${mode}: use memory or sqlite`);
}

const server = new Server({
  port: Number(port),
  address: '127.0.0.1',
  quiet: true,
  extensions,
  // Every connection shows a token, as BriefingRoom's bearer token; a wrong one is refused.
  async onAuthenticate({ token }) {
    if (token !== TOKEN) throw new Error('Not authorized');
  },
  // The same starting text as BriefingRoom's draft, so both apply edits to a text of the same size.
  async afterLoadDocument({ document }) {
    const text = document.getText('text');
    if (text.length === 0) text.insert(0, INITIAL_TEXT);
  },
});
await server.listen();
console.log(`listening on ${port} (${mode})`);
