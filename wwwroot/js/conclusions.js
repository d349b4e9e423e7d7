// The conclusions export: GET /api/meetings/{id}/conclusions.pdf answers application/pdf with the headers
// X-Content-SHA256 (hex of the body) and X-Meeting-Seq (the sequence number it reflects).
// The page streams it to show progress, checks the hash itself where the browser can, and saves it.
// When too many exports run at once the server answers 503 with Retry-After: the page says when to try again.

import { Api, send } from './api.js';

export const ExportHeaders = Object.freeze({ sha256: 'X-Content-SHA256', seq: 'X-Meeting-Seq' });

/** Lower-case hex of a digest, for comparing with the header whatever case it uses. */
export function toHex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** "EUCO 1/25" becomes "EUCO-1-25-conclusions.pdf". */
export function fileNameFor(documentNumber) {
  const stem = String(documentNumber || 'conclusions').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${stem || 'meeting'}-conclusions.pdf`;
}

/** Seconds from a Retry-After header (seconds or an HTTP date), else from the problem's retryAfterSeconds. */
export function retryAfterSeconds(header, problem, now = Date.now()) {
  const value = String(header ?? '').trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (value && !Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  const fromProblem = problem?.retryAfterSeconds;
  return Number.isInteger(fromProblem) && fromProblem >= 0 ? fromProblem : null;
}

/**
 * @param {number} meetingId
 * @param {(progress: {received: number, total: number | null}) => void} onProgress
 * @returns {Promise<
 *   {state: 'done', blob: Blob, sha256: string | null, verified: boolean | null, seq: string | null}
 *   | {state: 'busy', message: string, retryAfterSeconds: number | null}
 *   | {state: 'unavailable' | 'error', message: string}>}
 */
export async function exportConclusions(meetingId, onProgress) {
  let response;
  try {
    response = await send('GET', Api.paths.conclusionsPdf(meetingId), undefined, { accept: 'application/pdf' });
  } catch {
    return { state: 'error', message: 'The export failed: no connection to the server.' };
  }
  if (response.status === 404) {
    return { state: 'unavailable', message: 'The conclusions export is not available on this server yet.' };
  }
  if (response.status === 503) {
    const problem = await response.json().catch(() => ({}));
    const seconds = retryAfterSeconds(response.headers.get('Retry-After'), problem);
    return {
      state: 'busy',
      retryAfterSeconds: seconds,
      message: `Other exports are being prepared right now. Please try again ${seconds ? `in ${seconds} second${seconds === 1 ? '' : 's'}` : 'in a moment'}.`,
    };
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    return { state: 'error', message: problem.detail || `The export failed (${response.status}).` };
  }

  const total = Number(response.headers.get('Content-Length')) || null;
  const chunks = [];
  let received = 0;
  onProgress({ received, total });
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received, total });
    }
  } else {
    const whole = new Uint8Array(await response.arrayBuffer());
    chunks.push(whole);
    received = whole.byteLength;
    onProgress({ received, total });
  }

  const blob = new Blob(chunks, { type: 'application/pdf' });
  const sha256 = response.headers.get(ExportHeaders.sha256)?.trim().toLowerCase() || null;
  let verified = null;
  if (sha256 && globalThis.crypto?.subtle) {
    verified = toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())) === sha256;
  }
  return { state: 'done', blob, sha256, verified, seq: response.headers.get(ExportHeaders.seq) };
}
