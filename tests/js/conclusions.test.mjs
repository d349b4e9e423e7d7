import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { exportConclusions, retryAfterSeconds } from '../../wwwroot/js/conclusions.js';

const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

describe('the conclusions export', () => {
  test('a busy server is answered politely, with when to try again', async () => {
    globalThis.fetch = async () => new Response(
      JSON.stringify({ title: 'Busy', status: 503, detail: 'Other exports are running; try again in a few seconds.', retryAfterSeconds: 20 }),
      { status: 503, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '20' } });
    const result = await exportConclusions(1, () => {});
    assert.equal(result.state, 'busy');
    assert.equal(result.retryAfterSeconds, 20);
    assert.equal(result.message, 'Other exports are being prepared right now. Please try again in 20 seconds.');
  });

  test('Retry-After is read as seconds or as a date, else from the problem', () => {
    assert.equal(retryAfterSeconds('5', {}), 5);
    assert.equal(retryAfterSeconds('Wed, 21 Oct 2015 07:28:10 GMT', {}, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10);
    assert.equal(retryAfterSeconds(null, { retryAfterSeconds: 3 }), 3);
    assert.equal(retryAfterSeconds(null, {}), null);
  });

  test('another refusal keeps the server\'s words', async () => {
    globalThis.fetch = async () => new Response(JSON.stringify({ title: 'Forbidden', detail: 'Only the chair and the secretariat export.' }),
      { status: 403, headers: { 'Content-Type': 'application/problem+json' } });
    const result = await exportConclusions(1, () => {});
    assert.deepEqual(result, { state: 'error', message: 'Only the chair and the secretariat export.' });
  });
});
