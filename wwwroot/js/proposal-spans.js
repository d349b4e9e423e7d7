// Where a drafting proposal stands in its draft, moved through operations exactly as the server moves it
// (src/BriefingRoom/Proposals/ProposalSpan.cs; tests/vectors/proposal-span-vectors.json keeps the two equal).
// Text inserted at a span's start goes before it, at its end after it, so a proposal never takes in words it did
// not propose to change. A point (a proposal to insert, or a span whose words were all deleted) has text typed at
// it go before it, unless that text replaces the words right after the point (they were after it, and so is their
// replacement). A span that had words and loses them all is deleted for good.

/**
 * @typedef {{from: number, to: number, deleted: boolean}} Span
 */

/**
 * @param {Span} span
 * @param {import('./ot.js').TextOperation} operation
 * @returns {Span}
 */
export function mapSpan(span, operation) {
  if (span.from === span.to) {
    // Words replaced (or deleted) right after the point were after it: their replacement stays after it too.
    const affinity = deletesAt(operation, span.from) ? 'before' : 'after';
    const at = operation.transformIndex(span.from, { affinity });
    return { from: at, to: at, deleted: span.deleted };
  }
  const from = operation.transformIndex(span.from, { affinity: 'after' });
  const to = Math.max(from, operation.transformIndex(span.to, { affinity: 'before' }));
  return { from, to, deleted: from === to };
}

/** Whether the operation deletes the character that starts at `index`. */
function deletesAt(operation, index) {
  let at = 0;
  for (const c of operation.ops) {
    if (at > index) return false;
    if (typeof c === 'number' && c < 0 && index < at - c) return true;
    if (typeof c === 'number' && c > 0) at += c;
    else if (typeof c === 'number') at -= c;
  }
  return false;
}

/**
 * A span kept at a revision of its text: the page moves it with every committed operation it applies
 * (text.edited, in order) and shows it through its own unconfirmed edits on top.
 * @param {{from: number, to: number, deleted: boolean, revision: number}} span
 * @param {number} revision the revision the operation makes
 * @param {import('./ot.js').TextOperation} operation
 */
export function advanceSpan(span, revision, operation) {
  if (revision <= span.revision) return span;
  return { ...mapSpan(span, operation), revision };
}
