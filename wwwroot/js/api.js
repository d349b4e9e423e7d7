// The REST API as the page uses it. Every request names itself with X-Requested-With: the server
// refuses cookie-signed changes without it (BrowserSecurity.cs), which a form on another site cannot send.
// Errors are RFC 9457 problem details; they surface as ApiError with the server's own words.

export const REQUESTED_WITH = Object.freeze({ name: 'X-Requested-With', value: 'BriefingRoom' });

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{title?: string, detail?: string, errors?: Record<string, string[]>, current?: unknown}} problem
   */
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title ?? '';
    this.detail = problem.detail ?? '';
    this.errors = problem.errors ?? {};
    this.current = problem.current;
  }
}

/**
 * Low level: a fetch with the page's headers; resolves to the Response whatever its status.
 * A Blob body (an uploaded file) is sent as it is, with its own type; anything else as JSON.
 */
export function send(method, path, body, { accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept, [REQUESTED_WITH.name]: REQUESTED_WITH.value };
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (raw) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
}

/**
 * Hears every 401 a JSON call gets ('unauthorized'): the page decides whether that means its session ended
 * (it believed it was signed in) or only a wrong password.
 */
export const sessionEvents = new EventTarget();

/** A JSON call: the parsed body, null for 204, or an ApiError. */
export async function call(method, path, body) {
  return readJson(await send(method, path, body), method, path);
}

/** The answer to a JSON call made with send(): the parsed body, null for 204, or an ApiError (a 401 is told to sessionEvents). */
export async function readJson(response, method, path) {
  if (response.status === 401) sessionEvents.dispatchEvent(new CustomEvent('unauthorized', { detail: { method, path } }));
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, json ?? {});
  return json;
}

/** "?a=1&b=2" from the entries that have a value; "" when none has. */
function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== null && value !== undefined && value !== '');
  return pairs.length ? `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}` : '';
}

const meeting = (id) => `/api/meetings/${encodeURIComponent(id)}`;
const item = (meetingId, itemId) => `${meeting(meetingId)}/items/${encodeURIComponent(itemId)}`;

export const Api = Object.freeze({
  signIn: (email, password) => call('POST', '/api/auth/login?useCookies=true', { email, password }),
  signOut: () => call('POST', '/api/auth/logout'),
  changePassword: (currentPassword, newPassword) => call('POST', '/api/auth/password', { currentPassword, newPassword }),
  forgotPassword: (email) => call('POST', '/api/auth/forgot-password', { email }),
  resetPassword: (email, resetCode, newPassword) => call('POST', '/api/auth/reset-password', { email, resetCode, newPassword }),
  me: () => call('GET', '/api/me'),
  /** {signedIn, me}: answers 200 whether or not the caller is signed in (no 401 in the console on every load). */
  session: () => call('GET', '/api/auth/session'),
  meetings: () => call('GET', '/api/meetings'),
  /** The room as a hub client loads it right after JoinMeeting (compressed, cached by sequence number on the server). */
  snapshot: (meetingId) => call('GET', `${meeting(meetingId)}/snapshot`),
  /** The meeting's own details, its status among them (closed: nothing in it changes until it is reopened). */
  updateMeeting: (meetingId, request) => call('PUT', meeting(meetingId), request),
  lock: (meetingId, itemId, reason) => call('POST', `${item(meetingId, itemId)}/lock`, { reason: reason || null }),
  unlock: (meetingId, itemId) => call('DELETE', `${item(meetingId, itemId)}/lock`),
  /** `confirm` must be true to move an item out of the coalition state (the server answers 409 saying what would happen). */
  setStatus: (meetingId, itemId, status, expectedVersion, confirm = false) =>
    call('PUT', `${item(meetingId, itemId)}/status`, { status, expectedVersion, confirm }),
  /** Signatures bind a text: the chair opens a statement for a change with a reason (every signature is withdrawn), then reopens it. */
  reviseStatement: (meetingId, itemId, reason) => call('POST', `${item(meetingId, itemId)}/coalition/revision`, { reason }),
  reopenStatement: (meetingId, itemId) => call('DELETE', `${item(meetingId, itemId)}/coalition/revision`),
  coalitionArchive: (meetingId, itemId) => call('GET', `${item(meetingId, itemId)}/coalition/archive`),
  restoreCoalition: (meetingId, itemId) => call('POST', `${item(meetingId, itemId)}/coalition/restore`),
  /** The chair's switch: the item's guests see (or not) the member states' positions. */
  setGuestPositions: (meetingId, itemId, share) => call('PUT', `${item(meetingId, itemId)}/guest-positions`, { share }),
  /** `expectedOrder`: the ids as the page shows them; an agenda moved since is refused (409) rather than undone. */
  reorder: (meetingId, itemIds, expectedOrder) => call('PUT', `${meeting(meetingId)}/agenda/order`, { itemIds, expectedOrder }),
  putPosition: (meetingId, itemId, code, request) =>
    call('PUT', `${item(meetingId, itemId)}/positions/${encodeURIComponent(code)}`, request),
  /** Coalitions of the willing: each answers the whole coalition as it now stands (see coalition.js). */
  createCoalition: (meetingId, itemId) => call('POST', `${item(meetingId, itemId)}/coalition`),
  signCoalition: (meetingId, itemId, code) => call('POST', `${item(meetingId, itemId)}/coalition/signatories/${encodeURIComponent(code)}`),
  withdrawFromCoalition: (meetingId, itemId, code) => call('DELETE', `${item(meetingId, itemId)}/coalition/signatories/${encodeURIComponent(code)}`),
  closeCoalitionList: (meetingId, itemId) => call('POST', `${item(meetingId, itemId)}/coalition/lock`),
  reopenCoalitionList: (meetingId, itemId) => call('DELETE', `${item(meetingId, itemId)}/coalition/lock`),
  /** The separate document a coalition statement goes out as: {documentNumber, title, distributionMarking}. */
  setStatementDocument: (meetingId, itemId, request) => call('PUT', `${item(meetingId, itemId)}/statement`, request),
  memberships: (meetingId) => call('GET', `${meeting(meetingId)}/memberships`),
  revokeMembership: (meetingId, id) => call('DELETE', `${meeting(meetingId)}/memberships/${encodeURIComponent(id)}`),
  traceIdentifier: (meetingId, identifier) => call('GET', `${meeting(meetingId)}/copies/trace?identifier=${encodeURIComponent(identifier)}`),
  /** A text's committed edits after revision `since`, oldest first, a page at a time (`more` while later ones remain). */
  textHistory: (meetingId, documentId, since, limit) =>
    call('GET', `${meeting(meetingId)}/texts/${encodeURIComponent(documentId)}/history?since=${encodeURIComponent(since)}&limit=${encodeURIComponent(limit)}`),
  /** The text as it stood at a revision (0: before the first edit). */
  textRevision: (meetingId, documentId, revision) =>
    call('GET', `${meeting(meetingId)}/texts/${encodeURIComponent(documentId)}/revisions/${encodeURIComponent(revision)}`),
  /** Invitations: the only way to a seat. The token travels in the body, never in an address. */
  invitations: (meetingId) => call('GET', `${meeting(meetingId)}/invitations`),
  invite: (meetingId, invitation) => call('POST', `${meeting(meetingId)}/invitations`, invitation),
  withdrawInvitation: (meetingId, id) => call('DELETE', `${meeting(meetingId)}/invitations/${encodeURIComponent(id)}`),
  previewInvitation: (token) => call('POST', '/api/invitations/preview', { token }),
  acceptInvitation: (token, password) => call('POST', '/api/invitations/accept?useCookies=true', { token, password: password || null }),
  /** Paths of endpoints that other modules call with their own handling (files are streamed or uploaded). */
  paths: Object.freeze({
    /** @param {'pdf'|'docx'} format @param {{noAgreement?: boolean, recipient?: number|null}} options */
    conclusions: (meetingId, format, { noAgreement = false, recipient = null } = {}) =>
      `${meeting(meetingId)}/conclusions.${format}${query({ noAgreement: noAgreement ? 'list' : null, recipient })}`,
    statement: (meetingId, itemId, format, { recipient = null } = {}) =>
      `${item(meetingId, itemId)}/statement.${format}${query({ recipient })}`,
    trace: (meetingId) => `${meeting(meetingId)}/copies/trace`,
  }),
});
