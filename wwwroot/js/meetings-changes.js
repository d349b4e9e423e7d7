// What changed in a person's meetings list between two readings, in words a screen reader can say: the meetings page is
// redrawn in place when a seat is given or taken away or a meeting's details change, and someone who cannot see the
// list redrawn must still hear of it.
import { formatDate } from './dom.js';
import { MeetingStatusLabels, labelOf, seatText } from './labels.js';

/** More meetings changed at once than this, and they are counted rather than read one by one. */
export const MAX_TOLD = 3;

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
      told.push(`${m.title} (${m.documentNumber}) is now in your meetings, as ${seatText(m)}.`);
      continue;
    }
    const parts = differences(old, m);
    if (parts.length) told.push(`${m.title}: ${parts.join('; ')}.`);
  }
  for (const m of before) {
    if (!now.has(m.id)) told.push(`${m.title} (${m.documentNumber}) is no longer in your meetings.`);
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
  if (seatText(old) !== seatText(m)) parts.push(`your seat is now ${seatText(m)}`);
  return parts;
}
