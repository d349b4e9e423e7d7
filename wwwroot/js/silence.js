// The silence procedure as the page sees it (src/BriefingRoom/Silence): the latest procedure of each item, merged
// from GET .../silences and the silence.* events, and the countdown to a deadline. No DOM.

import { call, readJson, send } from './api.js';

const meetingPath = (meetingId) => `/api/meetings/${encodeURIComponent(meetingId)}`;
const itemPath = (meetingId, itemId) => `${meetingPath(meetingId)}/items/${encodeURIComponent(itemId)}`;

export const SilenceApi = Object.freeze({
  list: (meetingId) => call('GET', `${meetingPath(meetingId)}/silences`),
  /** The same list, with how far the server's clock is from this screen's ({@link serverClockOffset}). */
  listWithClock: async (meetingId) => {
    const path = `${meetingPath(meetingId)}/silences`;
    const sentAt = Date.now();
    const response = await send('GET', path);
    const receivedAt = Date.now();
    const silences = await readJson(response, 'GET', path);
    return { silences: silences ?? [], offset: serverClockOffset(response.headers.get('Date'), sentAt, receivedAt) };
  },
  open: (meetingId, itemId, deadline) => call('POST', `${itemPath(meetingId, itemId)}/silence`, { deadline }),
  breakSilence: (meetingId, itemId, reason) => call('POST', `${itemPath(meetingId, itemId)}/silence/break`, { reason }),
  cancel: (meetingId, itemId) => call('DELETE', `${itemPath(meetingId, itemId)}/silence`),
});

/**
 * Keeps the newer of two reports of an item's procedures: a later procedure wins; for the same one, a closed state
 * wins over "open" (a procedure never reopens).
 */
export function newerSilence(known, incoming) {
  if (!known) return incoming;
  if (!incoming) return known;
  if (incoming.id !== known.id) return incoming.id > known.id ? incoming : known;
  return known.state !== 'open' ? known : incoming;
}

/** The time zone the browser reads a deadline typed in a date-and-time field in, as its IANA name ("Europe/Brussels"). */
export function localZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'your time zone';
}

/**
 * What the panel says of a procedure nobody broke, given the item's status now: the chair may have reopened the item
 * since, and then the panel must not go on saying only that it was agreed.
 */
export function agreedBySilenceText(itemStatus, at) {
  const agreed = `Nobody broke silence: agreed by silence procedure at ${at}.`;
  return itemStatus === 'agreed' ? agreed : `${agreed} The chair has since reopened the item.`;
}

/**
 * How many milliseconds to add to this screen's clock to read the server's, whose clock rules a deadline: a laptop a day
 * fast must not say that silence can no longer be broken. From the Date header of an answer asked at `sentAt` and
 * received at `receivedAt` (this screen's clock): it names a whole second and is renewed about once a second, so the
 * server read between it and two seconds later, somewhere in that round trip. A screen whose clock fits is left as it
 * is (0: its own clock is finer than the header); one that does not is put in the middle of what fits.
 */
export function serverClockOffset(dateHeader, sentAt, receivedAt) {
  const stamped = Date.parse(dateHeader ?? '');
  if (Number.isNaN(stamped)) return 0;
  const lowest = stamped - receivedAt;
  const highest = stamped + 2000 - sentAt;
  return lowest <= 0 && highest >= 0 ? 0 : Math.round((lowest + highest) / 2);
}

/** Whether this screen's clock is at or past the deadline (the server's conclusion may still be on its way). */
export function deadlinePassed(deadline, now = Date.now()) {
  return new Date(deadline).getTime() <= now;
}

/** "2 h 05 min 09 s", "4 min 00 s", "12 s"; "0 s" once the deadline has passed. */
export function countdown(deadline, now = Date.now()) {
  const left = Math.max(0, Math.floor((new Date(deadline).getTime() - now) / 1000));
  const days = Math.floor(left / 86400);
  const hours = Math.floor((left % 86400) / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  const seconds = left % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (days > 0) return `${days} d ${hours} h ${pad(minutes)} min`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min ${pad(seconds)} s`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}

/**
 * Who may break silence on an item: a member state's delegate (not guests, institutions, observers, the chair or the
 * secretariat), unless its voting rights are suspended under Art. 7(3) TEU or it does not take part in the item: silence
 * is a tacit unanimity, in which neither is counted (the server refuses both, SilenceService's BreakSilence).
 */
export function mayBreakSilence(state, itemId) {
  const you = state.you;
  const code = you?.delegationCode;
  const delegation = code == null ? undefined : state.participants.get(code);
  // RoomState's positions, keyed as its positionKey keys them.
  const stance = state.positions?.get(`${itemId}:${code}`)?.stance;
  return you?.role === 'delegate' && delegation?.kind === 'memberState' && !delegation.votingRightsSuspended
    && stance !== 'notTakingPart';
}
