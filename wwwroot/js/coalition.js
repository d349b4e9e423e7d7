// ADAPTER for the "coalition of the willing" endpoint, which comes later. Expected (a guess, to be fixed
// here only): POST /api/meetings/{m}/items/{i}/coalition {members: ["FR", ...], note} by the chair,
// answering the item. Until it exists, the server answers 404 or 405 and the page says so.

import { Api, send } from './api.js';

/**
 * @param {number} meetingId
 * @param {number} itemId
 * @param {{members: string[], note?: string}} request
 * @returns {Promise<{state: 'done'} | {state: 'unavailable' | 'error', message: string}>}
 */
export async function proposeCoalition(meetingId, itemId, request) {
  let response;
  try {
    response = await send('POST', Api.paths.coalition(meetingId, itemId), request);
  } catch {
    return { state: 'error', message: 'No connection to the server.' };
  }
  if (response.status === 404 || response.status === 405) {
    return { state: 'unavailable', message: 'Coalitions of the willing cannot be recorded on this server yet.' };
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    return { state: 'error', message: problem.detail || `The server refused (${response.status}).` };
  }
  return { state: 'done' };
}
