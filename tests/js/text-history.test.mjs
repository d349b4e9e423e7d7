import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextHistory } from '../../wwwroot/js/text-history.js';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { createRandom, randomText } from './random-edits.mjs';

/** One edit as a person makes it: a few characters typed, or deleted, or replaced, somewhere in the text. */
function smallEdit(random, text) {
  const points = Array.from(text);
  const at = random.int(points.length + 1);
  const before = points.slice(0, at).join('').length;
  const count = random.next() < 0.35 ? Math.min(points.length - at, 1 + random.int(4)) : 0;
  const deleted = points.slice(at, at + count).join('').length;
  const builder = TextOperation.builder().retain(before).delete(deleted);
  if (deleted === 0 || random.next() < 0.5) builder.insert(randomText(random));
  return builder.retain(text.length - before - deleted).build();
}

const PEOPLE = [
  { authorId: 'u-fr', author: 'France delegate' },
  { authorId: 'u-ie', author: 'Ireland delegate' },
  { authorId: 'u-hu', author: 'Hungary delegate' },
];

/**
 * A text's log as the server keeps it, with each character's author tracked alongside, and the two
 * endpoints: pages of edits (with or without `more`) and the text at revision 0.
 */
function recordedText(seed, edits, initial = 'The European Council met today.') {
  const random = createRandom(seed);
  let text = initial;
  let authors = new Array(initial.length).fill(null);
  const log = [];
  const texts = [text];
  const owners = [authors];
  for (let r = 1; r <= edits; r++) {
    const person = PEOPLE[random.int(PEOPLE.length)];
    const op = smallEdit(random, text);
    const next = [];
    let at = 0;
    for (const c of op.ops) {
      if (typeof c === 'string') for (let i = 0; i < c.length; i++) next.push(person.authorId);
      else if (c > 0) { for (let i = 0; i < c; i++) next.push(authors[at + i]); at += c; } else at -= c;
    }
    text = op.apply(text);
    authors = next;
    texts.push(text);
    owners.push(authors);
    log.push({ revision: r, operation: op.toJSON(), clientOpId: `op-${r}`, ...person, at: new Date(Date.UTC(2025, 2, 6, 10, 0, r)).toISOString(), seq: 100 + r });
  }
  const calls = [];
  const source = (pageLimit, { withMore = true } = {}) => ({
    fetchPage: async (since, limit) => {
      calls.push(['page', since, limit]);
      const edits = log.slice(since, since + Math.min(limit, pageLimit));
      const page = { documentId: 'draft:1', revision: log.length, edits };
      if (withMore) page.more = since + edits.length < log.length;
      return page;
    },
    fetchRevision: async (revision) => {
      calls.push(['revision', revision]);
      return { documentId: 'draft:1', revision, text: texts[revision] };
    },
  });
  return { log, texts, owners, calls, source };
}

describe('TextHistory', () => {
  test('reads every page and gives the text at any revision, revision 0 included', async () => {
    const recorded = recordedText(13, 730);
    const history = new TextHistory(recorded.source(200));
    const progress = [];
    await history.load((loaded, current) => progress.push([loaded, current]));
    assert.equal(history.latest, 730);
    assert.deepEqual(progress, [[200, 730], [400, 730], [600, 730], [730, 730]]);
    assert.deepEqual(recorded.calls.filter(([kind]) => kind === 'page').map(([, since]) => since), [0, 200, 400, 600]);
    for (const r of [0, 1, 99, 100, 101, 365, 729, 730, 500, 3]) assert.equal(history.textAt(r), recorded.texts[r], `revision ${r}`);
    assert.equal(history.edit(0), null);
    assert.equal(history.edit(42).author, recorded.log[41].author);
    assert.equal(history.edit(42).at, recorded.log[41].at);
  });

  test('an older server that sends no `more` is read until its reported revision', async () => {
    const recorded = recordedText(7, 120);
    const history = new TextHistory(recorded.source(50, { withMore: false }));
    await history.load();
    assert.equal(history.latest, 120);
    assert.equal(history.textAt(120), recorded.texts[120]);
  });

  test('loading again fetches only what is new', async () => {
    const recorded = recordedText(5, 40);
    const log = recorded.log.splice(30);
    const history = new TextHistory(recorded.source(500));
    await history.load();
    assert.equal(history.latest, 30);
    recorded.log.push(...log);
    recorded.calls.length = 0;
    await history.load();
    assert.equal(history.latest, 40);
    assert.deepEqual(recorded.calls, [['page', 30, 500]]);
    assert.equal(history.textAt(40), recorded.texts[40]);
  });

  test('says who wrote each part of the text, at the latest revision and at any earlier one', async () => {
    const recorded = recordedText(99, 300);
    const history = new TextHistory(recorded.source(64));
    await history.load();
    for (const r of [0, 1, 150, 300]) {
      const runs = history.authorship(r);
      const owners = runs.flatMap((run) => new Array(run.to - run.from).fill(run.authorId));
      assert.deepEqual(owners, recorded.owners[r], `revision ${r}`);
      assert.equal(runs.at(-1)?.to ?? 0, recorded.texts[r].length);
      for (let i = 1; i < runs.length; i++) assert.notEqual(runs[i].authorId, runs[i - 1].authorId, 'runs are merged');
      for (const run of runs.filter((x) => x.authorId)) {
        assert.equal(run.author, PEOPLE.find((p) => p.authorId === run.authorId).author);
      }
    }
  });
});
