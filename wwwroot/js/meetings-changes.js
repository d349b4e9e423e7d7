// What changed in a person's meetings list between two readings, in words a screen reader can say: the meetings page is
// redrawn in place when a seat is given or taken away or a meeting's details change, and someone who cannot see the
// list redrawn must still hear of it.
import { MeetingStatusLabels, RoleLabels, labelOf, textOf } from './labels.js';

/** More meetings changed at once than this, and they are counted rather than read one by one. */
export const MAX_TOLD = 3;

/** A date of the API ("2026-03-19") as the page shows it ("19 March 2026"). */
export function formatDate(isoDate) {
  const date = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(isoDate)
    : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** A seat as the list's chip says it: "Delegate, FR", "Chair". */
export function seatOf(meeting) {
  const role = textOf(RoleLabels, meeting.role);
  return meeting.delegationCode ? `${role}, ${meeting.delegationCode}` : role;
}

/**
 * One sentence (or a few) for what differs between two readings of the list, or null when nothing a person would see did.
 * @param {object[]} before the meetings as the page shows them
 * @param {object[]} after the meetings just read
 * @returns {string | null}
 */
export function whatChanged(before, after) {
  const was = new Map(before.map((m) => [m.id, m]));
  const now = new Map(after.map((m) => [m.id, m]));
  const told = [];
  for (const m of after) {
    const old = was.get(m.id);
    if (!old) {
      told.push(`You now have a seat in ${m.title} (${m.documentNumber}), as ${seatOf(m)}.`);
      continue;
    }
    const parts = differences(old, m);
    if (parts.length) told.push(`${m.title}: ${parts.join('; ')}.`);
  }
  for (const m of before) {
    if (!now.has(m.id)) told.push(`You no longer have a seat in ${m.title} (${m.documentNumber}).`);
  }
  if (told.length === 0) return null;
  if (told.length > MAX_TOLD) return `${told.length} of your meetings changed: the list shows them.`;
  return `Your meetings changed. ${told.join(' ')}`;
}

function differences(old, m) {
  const parts = [];
  if (old.title !== m.title) parts.push(`renamed from ${old.title}`);
  if (old.documentNumber !== m.documentNumber) parts.push(`now document ${m.documentNumber}`);
  if (old.date !== m.date) parts.push(`now on ${formatDate(m.date)}`);
  if (old.place !== m.place) parts.push(`now in ${m.place}`);
  if (old.status !== m.status) parts.push(`now ${labelOf(MeetingStatusLabels, m.status).text.toLowerCase()}`);
  if (seatOf(old) !== seatOf(m)) parts.push(`your seat is now ${seatOf(m)}`);
  return parts;
}
