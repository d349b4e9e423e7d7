import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { exportConclusions, exportStatement, fileNameFor, retryAfterSeconds, toHex, traceFile } from '../../wwwroot/js/conclusions.js';
import { sessionEvents } from '../../wwwroot/js/api.js';
import { webcrypto } from 'node:crypto';

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

  test('a copy comes with the text\'s hash, the file\'s own hash (checked here), its identifier and its sequence number', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 a copy');
    const fileHash = toHex(await webcrypto.subtle.digest('SHA-256', bytes));
    let asked;
    globalThis.fetch = async (url) => {
      asked = url;
      return new Response(bytes, { status: 200, headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'X-Content-SHA256': 'AB'.repeat(32), 'X-Copy-SHA256': fileHash, 'X-Copy-Id': 'BR-7K2Q-M9XD-3F8A-ZP4W', 'X-Meeting-Seq': '42',
      } });
    };
    const result = await exportConclusions(1, () => {}, { format: 'docx', recipient: 17, noAgreement: true });
    assert.equal(asked, '/api/meetings/1/conclusions.docx?noAgreement=list&recipient=17');
    assert.equal(result.state, 'done');
    assert.equal(result.sha256, 'ab'.repeat(32));
    assert.equal(result.copySha256, fileHash);
    assert.equal(result.verified, true);
    assert.equal(result.copyId, 'BR-7K2Q-M9XD-3F8A-ZP4W');
    assert.equal(result.seq, '42');

    globalThis.fetch = async (url) => { asked = url; return new Response(bytes, { status: 200, headers: { 'X-Copy-SHA256': '00'.repeat(32) } }); };
    const tampered = await exportStatement(1, 3, () => {});
    assert.equal(asked, '/api/meetings/1/items/3/statement.pdf');
    assert.equal(tampered.verified, false);
  });

  test('a download that breaks off midway says so, rather than leave "Downloading…" on the screen for ever', async () => {
    globalThis.fetch = async () => {
      let sent = false;
      const body = new ReadableStream({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(new TextEncoder().encode('%PDF-1.7 the first part'));
          } else {
            controller.error(new TypeError('network error'));
          }
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Length': '90000', 'X-Copy-SHA256': '00'.repeat(32) } });
    };
    const progress = [];
    const result = await exportConclusions(1, (p) => progress.push(p));
    assert.equal(result.state, 'error');
    assert.match(result.message, /broke off/);
    assert.ok(progress.some((p) => p.received > 0), 'the first part was received');
  });

  test('an export or a trace refused because the session ended says so, and the page hears it as every other 401', async () => {
    const heard = [];
    const listener = (e) => heard.push(e.detail.path);
    sessionEvents.addEventListener('unauthorized', listener);
    try {
      globalThis.fetch = async () => new Response(null, { status: 401 });
      const exported = await exportConclusions(1, () => {});
      assert.equal(exported.state, 'error');
      assert.match(exported.message, /session ended/);
      const traced = await traceFile(1, new Blob(['%PDF-1.7'], { type: 'application/pdf' }));
      assert.equal(traced.state, 'error');
      assert.match(traced.message, /session ended/);
      assert.deepEqual(heard, ['/api/meetings/1/conclusions.pdf', '/api/meetings/1/copies/trace']);
    } finally {
      sessionEvents.removeEventListener('unauthorized', listener);
    }
  });

  test('file names follow the document number, the kind of document and the format', () => {
    assert.equal(fileNameFor('EUCO 6/25'), 'EUCO-6-25-conclusions.pdf');
    assert.equal(fileNameFor('EUCO 10/25', { kind: 'statement', format: 'docx' }), 'EUCO-10-25-statement.docx');
  });

  test('a leaked file is sent as it is, and the answer is the server\'s own words', async () => {
    let sent;
    globalThis.fetch = async (url, init) => {
      sent = { url, init };
      return new Response(JSON.stringify({ verdict: 'altered', message: 'Not an authentic copy. …', copy: { id: 'BR-7K2Q-M9XD-3F8A-ZP4W' } }),
        { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const file = new Blob(['%PDF-1.7'], { type: 'application/pdf' });
    const result = await traceFile(1, file);
    assert.equal(sent.url, '/api/meetings/1/copies/trace');
    assert.equal(sent.init.method, 'POST');
    assert.equal(sent.init.body, file);
    assert.equal(sent.init.headers['Content-Type'], 'application/pdf');
    assert.equal(sent.init.headers['X-Requested-With'], 'BriefingRoom');
    assert.deepEqual(result, { state: 'done', verdict: 'altered', message: 'Not an authentic copy. …', copy: { id: 'BR-7K2Q-M9XD-3F8A-ZP4W' } });
  });
});
