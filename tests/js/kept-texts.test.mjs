import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeptTexts, MAX_ENTRIES } from '../../wwwroot/js/kept-texts.js';
import { localReturnPath, signInAddress } from '../../wwwroot/js/return-to.js';

/** localStorage's surface, in memory. */
class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  get size() { return this.#items.size; }
  get length() { return this.#items.size; }
  key(i) { return [...this.#items.keys()][i] ?? null; }
}

describe('KeptTexts', () => {
  test('a text kept while the browser\'s storage is full is still listed on this page, not the stored older list', () => {
    const storage = new MemoryStorage();
    const kept = new KeptTexts(storage);
    kept.add('u1', 1, 3, { documentId: 'draft:3', text: 'first', reason: 'locked' });
    storage.setItem = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    kept.add('u1', 1, 3, { documentId: 'draft:3', text: 'second', reason: 'locked' });
    assert.deepEqual(kept.list('u1', 1, 3).map((e) => e.text), ['first', 'second']);
  });


  test('a change another tab makes is heard here: the item is redrawn from what that tab stored', () => {
    const storage = new MemoryStorage();
    const here = new KeptTexts(storage);
    const there = new KeptTexts(storage);
    const redrawn = [];
    here.subscribe((meetingId, itemId) => redrawn.push([meetingId, itemId]));
    const entry = there.add('u.1', 12, 3, { documentId: 'draft:3', text: 'firmly', reason: 'locked' });
    // The browser fires "storage" in every other tab, with the key that changed.
    const key = storage.key(0);
    here.changedElsewhere(key, storage);
    assert.deepEqual(redrawn, [[12, 3]]);
    assert.deepEqual(here.list('u.1', 12, 3).map((e) => e.text), ['firmly']);

    there.dismiss('u.1', 12, 3, entry.id);
    here.changedElsewhere(key, storage);
    assert.deepEqual(here.list('u.1', 12, 3), []);
    // Another storage's event (sessionStorage), or a key not ours, is not ours to hear.
    here.changedElsewhere(key, {});
    here.changedElsewhere('other.app.12.3', storage);
    assert.equal(redrawn.length, 2);
  });

  test('lists what a person kept in one meeting over all its items, for a page that can no longer show them', () => {
    const storage = new MemoryStorage();
    const kept = new KeptTexts(storage);
    kept.add('u1', 1, 3, { documentId: 'draft:3', text: 'refused', reason: 'locked' });
    kept.add('u1', 1, 0, { documentId: 'draft:9', text: 'orphaned', reason: 'removed' });
    kept.add('u1', 12, 3, { documentId: 'draft:3', text: 'another meeting', reason: 'locked' });
    kept.add('u2', 1, 3, { documentId: 'draft:3', text: 'another person', reason: 'locked' });
    const listed = new KeptTexts(storage).listMeeting('u1', 1).map((e) => [e.itemId, e.text]).sort();
    assert.deepEqual(listed, [[0, 'orphaned'], [3, 'refused']]);
  });


  test('lists and forgets everything one person kept, in every meeting, and nobody else\'s', () => {
    const storage = new MemoryStorage();
    const kept = new KeptTexts(storage);
    kept.add('u1', 1, 3, { documentId: 'draft:3', text: 'refused', reason: 'locked' });
    kept.add('u1', 12, 0, { documentId: 'draft:9', text: 'orphaned', reason: 'removed' });
    kept.add('u10', 1, 3, { documentId: 'draft:3', text: 'a person whose id starts alike', reason: 'locked' });
    kept.add('u2', 1, 3, { documentId: 'draft:3', text: 'another person', reason: 'locked' });
    const heard = [];
    kept.subscribe((meetingId, itemId) => heard.push([meetingId, itemId]));

    assert.deepEqual(new KeptTexts(storage).listPerson('u1').map((e) => e.text).sort(), ['orphaned', 'refused']);
    kept.forgetPerson('u1');

    assert.deepEqual(kept.listPerson('u1'), []);
    assert.deepEqual(new KeptTexts(storage).listPerson('u1'), []);
    assert.deepEqual(new KeptTexts(storage).listPerson('u10').map((e) => e.text), ['a person whose id starts alike']);
    assert.deepEqual(new KeptTexts(storage).listPerson('u2').map((e) => e.text), ['another person']);
    assert.deepEqual(heard.sort(), [[1, 3], [12, 0]]);
  });


  test('keeps a text per person, meeting and item until it is dismissed, across pages', () => {
    const storage = new MemoryStorage();
    const entry = new KeptTexts(storage).add('u1', 1, 3, { documentId: 'draft:3', text: 'lost words', reason: 'locked' });
    const afterReload = new KeptTexts(storage);
    assert.deepEqual(afterReload.list('u1', 1, 3).map((e) => [e.text, e.kept]), [['lost words', false]]);
    assert.deepEqual(afterReload.list('u2', 1, 3), [], 'another person on the same browser sees nothing');
    assert.deepEqual(afterReload.list('u1', 1, 4), []);

    afterReload.keep('u1', 1, 3, entry.id);
    assert.equal(new KeptTexts(storage).list('u1', 1, 3)[0].kept, true);
    afterReload.dismiss('u1', 1, 3, entry.id);
    assert.deepEqual(new KeptTexts(storage).list('u1', 1, 3), []);
    assert.equal(storage.size, 0);
  });

  test('keeps at most the latest entries of an item, and nothing for an empty text', () => {
    const kept = new KeptTexts(new MemoryStorage());
    assert.equal(kept.add('u1', 1, 3, { documentId: 'draft:3', text: '', reason: 'x' }), null);
    for (let i = 0; i < MAX_ENTRIES + 5; i++) kept.add('u1', 1, 3, { documentId: 'draft:3', text: `t${i}`, reason: 'x' });
    const texts = kept.list('u1', 1, 3).map((e) => e.text);
    assert.equal(texts.length, MAX_ENTRIES);
    assert.equal(texts.at(-1), `t${MAX_ENTRIES + 4}`);
  });

  test('works in memory where the browser refuses storage', () => {
    const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() { throw new Error('denied'); } };
    const kept = new KeptTexts(refusing);
    kept.add('u1', 1, 3, { documentId: 'draft:3', text: 'still here', reason: 'x' });
    assert.deepEqual(kept.list('u1', 1, 3).map((e) => e.text), ['still here']);
  });
});

describe('the address to return to after signing in', () => {
  test('is one of the app\'s own routes, or nothing', () => {
    assert.equal(localReturnPath('/meetings/1/items/3'), '/meetings/1/items/3');
    assert.equal(localReturnPath('/meetings/1'), '/meetings/1');
    assert.equal(localReturnPath('/account'), '/account');
    for (const bad of ['https://evil.example/', '//evil.example/meetings/1', '/meetings/1/items/3/../../x', 'javascript:alert(1)', '/meetings/0', '/meetings/1?x=1', '/account/x', '/reset-password', null, 42]) {
      assert.equal(localReturnPath(bad), null, String(bad));
    }
  });

  test('travels in the sign-in address, which says whether a session ended', () => {
    assert.equal(signInAddress({ returnTo: '/meetings/1/items/3', ended: true }), '#/sign-in?ended=1&return=%2Fmeetings%2F1%2Fitems%2F3');
    assert.equal(signInAddress({ returnTo: 'https://evil.example/' }), '#/sign-in');
    assert.equal(signInAddress({ returnTo: '/meetings' }), '#/sign-in');
  });
});
