// The exports: GET /api/meetings/{id}/conclusions.{pdf|docx} and .../items/{itemId}/statement.{pdf|docx} answer
// one recipient's copy with the headers X-Content-SHA256 (the text's hash, the same in every copy), X-Copy-SHA256
// (this file's hash), X-Copy-Id (the copy's identifier) and X-Meeting-Seq (the sequence number it reflects).
// The page streams the file to show progress, checks the file's hash itself where the browser can, and saves it.
// When too many exports run at once the server answers 503 with Retry-After: the page says when to try again.
// POST .../copies/trace takes a leaked file and answers whose copy it was.

import { Api, ApiError, send, sessionEvents } from './api.js';

export const ExportHeaders = Object.freeze({
  sha256: 'X-Content-SHA256',
  copySha256: 'X-Copy-SHA256',
  copyId: 'X-Copy-Id',
  seq: 'X-Meeting-Seq',
  /** The items the conclusions left out, "number:status" pairs ("3:underDiscussion,4:notAgreed"). */
  leftOut: 'X-Left-Out',
});

export const Formats = Object.freeze({
  pdf: { extension: 'pdf', label: 'PDF', type: 'application/pdf' },
  docx: { extension: 'docx', label: 'Word', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
});

/** Lower-case hex of a digest, for comparing with the header whatever case it uses. */
export function toHex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** "EUCO 6/25" becomes "EUCO-6-25-conclusions.pdf"; a statement's "EUCO 10/25" "EUCO-10-25-statement.docx". */
export function fileNameFor(documentNumber, { kind = 'conclusions', format = 'pdf' } = {}) {
  const stem = String(documentNumber || kind).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${stem || 'meeting'}-${kind}.${Formats[format]?.extension ?? 'pdf'}`;
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
 * The exports and the trace fetch the file themselves (send, not call): a 401 is told to the page as call tells it
 * ('unauthorized': the session ended), and the panel says so rather than "The export failed (401)."
 */
function sessionEnded(method, path) {
  sessionEvents.dispatchEvent(new CustomEvent('unauthorized', { detail: { method, path } }));
  return { state: 'error', message: 'Your session ended: sign in again, then export or trace again.' };
}

function busy(response, problem) {
  const seconds = retryAfterSeconds(response.headers.get('Retry-After'), problem);
  return {
    state: 'busy',
    retryAfterSeconds: seconds,
    message: `Other exports are being prepared right now. Please try again ${seconds ? `in ${seconds} second${seconds === 1 ? '' : 's'}` : 'in a moment'}.`,
  };
}

/**
 * Downloads one copy from an export path (Api.paths.conclusions / Api.paths.statement).
 * @param {string} path
 * @param {(progress: {received: number, total: number | null}) => void} onProgress
 * @returns {Promise<
 *   {state: 'done', blob: Blob, sha256: string | null, copySha256: string | null, copyId: string | null, verified: boolean | null, seq: string | null}
 *   | {state: 'busy', message: string, retryAfterSeconds: number | null}
 *   | {state: 'unavailable' | 'error', message: string}>} (error also when the file breaks off midway)
 */
export async function exportDocument(path, onProgress, { type = Formats.pdf.type } = {}) {
  let response;
  try {
    response = await send('GET', path, undefined, { accept: type });
  } catch {
    return { state: 'error', message: 'The export failed: no connection to the server.' };
  }
  if (response.status === 401) return sessionEnded('GET', path);
  if (response.status === 503) return busy(response, await response.json().catch(() => ({})));
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    if (response.status === 404 && !problem) {
      return { state: 'unavailable', message: 'This export is not available on this server.' };
    }
    return { state: 'error', message: problem?.detail || `The export failed (${response.status}).` };
  }

  const total = Number(response.headers.get('Content-Length')) || null;
  const chunks = [];
  let received = 0;
  onProgress({ received, total });
  try {
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
  } catch {
    // The connection dropped mid-file: the part received is no copy, and the panel must not stay on "Downloading…".
    return { state: 'error', message: `The download broke off after ${Math.round(received / 1024)} KB: no file was saved. Export again.` };
  }

  const blob = new Blob(chunks, { type });
  const header = (name) => response.headers.get(name)?.trim() || null;
  const copySha256 = header(ExportHeaders.copySha256)?.toLowerCase() ?? null;
  let verified = null;
  if (copySha256 && globalThis.crypto?.subtle) {
    verified = toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())) === copySha256;
  }
  return {
    state: 'done',
    blob,
    sha256: header(ExportHeaders.sha256)?.toLowerCase() ?? null,
    copySha256,
    copyId: header(ExportHeaders.copyId),
    leftOut: parseLeftOut(header(ExportHeaders.leftOut)),
    verified,
    seq: header(ExportHeaders.seq),
  };
}

/** The conclusions, as one recipient's copy. */
export function exportConclusions(meetingId, onProgress, { format = 'pdf', recipient = null, noAgreement = false } = {}) {
  return exportDocument(Api.paths.conclusions(meetingId, format, { recipient, noAgreement }), onProgress, { type: Formats[format].type });
}

/** A coalition statement as its own document, as one recipient's copy. */
export function exportStatement(meetingId, itemId, onProgress, { format = 'pdf', recipient = null } = {}) {
  return exportDocument(Api.paths.statement(meetingId, itemId, format, { recipient }), onProgress, { type: Formats[format].type });
}

/**
 * Whose copy is this file? Uploads it as it is; the server's answer is its own words.
 * @param {Blob} file
 * @returns {Promise<{state: 'done', verdict: string, message: string, copy: object | null}
 *   | {state: 'busy' | 'error', message: string}>}
 */
export async function traceFile(meetingId, file) {
  let response;
  try {
    response = await send('POST', Api.paths.trace(meetingId), file);
  } catch {
    return { state: 'error', message: 'The file could not be sent: no connection to the server.' };
  }
  if (response.status === 401) return sessionEnded('POST', Api.paths.trace(meetingId));
  const body = await response.json().catch(() => ({}));
  if (response.status === 503) return busy(response, body);
  if (!response.ok) return { state: 'error', message: body.detail || `The trace failed (${response.status}).` };
  return { state: 'done', verdict: body.verdict, message: body.message, copy: body.copy ?? null };
}

/** Whose copy does a pasted identifier belong to? */
export async function traceIdentifier(meetingId, identifier) {
  try {
    const body = await Api.traceIdentifier(meetingId, identifier);
    return { state: 'done', verdict: body.verdict, message: body.message, copy: body.copy ?? null };
  } catch (error) {
    return { state: 'error', message: error instanceof ApiError ? error.message : 'The identifier could not be checked: no connection to the server.' };
  }
}

/** "3:underDiscussion,4:notAgreed" → [{number: 3, status: 'underDiscussion'}, ...]. */
export function parseLeftOut(value) {
  if (!value) return [];
  return value.split(',').map((pair) => {
    const [number, status] = pair.split(':');
    return { number: Number(number), status: status ?? '' };
  }).filter((x) => Number.isInteger(x.number) && x.number > 0);
}
