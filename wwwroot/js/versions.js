// Named versions of an item's draft (REV 1, REV 2, ...) as the server keeps them (src/BriefingRoom/Versions), and the
// comparison of two of them, or of one with the text as it stands now, word by word (word-diff.js). No DOM.

import { call } from './api.js';
import { summarize, wordDiff } from './word-diff.js';

/** "current": the draft as it stands now, in a comparison. */
export const CURRENT = 'current';

const versionsPath = (meetingId, itemId) =>
  `/api/meetings/${encodeURIComponent(meetingId)}/items/${encodeURIComponent(itemId)}/versions`;

export const Versions = Object.freeze({
  list: (meetingId, itemId) => call('GET', versionsPath(meetingId, itemId)),
  save: (meetingId, itemId, name) => call('POST', versionsPath(meetingId, itemId), { name }),
  compare: (meetingId, itemId, from, to) =>
    call('GET', `${versionsPath(meetingId, itemId)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
  /** The conclusions export of one version: its number and name in the header, its SHA-256 in the audit trail. */
  exportPath: (meetingId, versionId, format = 'pdf') =>
    `/api/meetings/${encodeURIComponent(meetingId)}/conclusions.${format}?version=${encodeURIComponent(versionId)}`,
});

/**
 * The word-level difference between the two sides of a comparison (the server's VersionComparisonDto), with a
 * sentence that says what changed.
 * @returns {{parts: {type: 'equal'|'insert'|'delete', text: string}[], summary: string}}
 */
export function describeComparison(comparison) {
  const parts = wordDiff(comparison.from.text, comparison.to.text);
  const { inserted, deleted } = summarize(parts);
  const changed = parts.some((p) => p.type !== 'equal');
  const from = comparison.from.label;
  const to = comparison.to.label;
  const summary = changed
    ? `From ${from} to ${to}: ${count(inserted, 'word')} inserted, ${count(deleted, 'word')} deleted.`
    : `${from} and ${to} are the same text.`;
  return { parts, summary };
}

function count(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
