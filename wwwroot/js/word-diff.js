// A word-level comparison of two versions of a text, for the history panel: what was inserted and what was
// deleted, in words, as a reader of a "track changes" document expects. Myers' O(ND) difference algorithm
// over tokens (words, runs of white space, single other characters). No DOM: the view draws the parts.

/** A word (letters, marks and digits, joined by inner apostrophes or hyphens), a run of white space, or one other character. */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|\s+|[^]/gu;

/** Beyond this many differing tokens the middle of the texts is shown as replaced whole, to keep the page responsive. */
export const MAX_EDIT_DISTANCE = 4000;

/**
 * @param {string} text
 * @returns {string[]}
 */
export function tokenize(text) {
  return text.match(TOKEN) ?? [];
}

/**
 * @typedef {{type: 'equal' | 'insert' | 'delete', text: string}} DiffPart
 */

/**
 * The parts that take `before` to `after`: equal text, deletions and insertions, in reading order
 * (a deletion before the insertion that replaces it).
 * @param {string} before
 * @param {string} after
 * @param {{maxEditDistance?: number}} [options]
 * @returns {DiffPart[]}
 */
export function wordDiff(before, after, { maxEditDistance = MAX_EDIT_DISTANCE } = {}) {
  const a = tokenize(before);
  const b = tokenize(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix
    && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;

  const parts = [];
  push(parts, 'equal', a.slice(0, prefix).join(''));
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const script = shortestEditScript(middleA, middleB, maxEditDistance);
  if (script === null) {
    push(parts, 'delete', middleA.join(''));
    push(parts, 'insert', middleB.join(''));
  } else {
    for (const [type, token] of script) push(parts, type, token);
  }
  push(parts, 'equal', a.slice(a.length - suffix).join(''));
  return readable(parts);
}

/** How much changed, in words (white space and punctuation do not count as words). */
export function summarize(parts) {
  let inserted = 0;
  let deleted = 0;
  for (const part of parts) {
    const words = tokenize(part.text).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
    if (part.type === 'insert') inserted += words;
    if (part.type === 'delete') deleted += words;
  }
  return { inserted, deleted };
}

function push(parts, type, text) {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.type === type) last.text += text;
  else parts.push({ type, text });
}

/**
 * A shortest edit script as [type, token] pairs, or null when the texts differ in more than `max` tokens.
 * @param {string[]} a
 * @param {string[]} b
 * @param {number} max
 * @returns {[('equal'|'insert'|'delete'), string][] | null}
 */
export function shortestEditScript(a, b, max = MAX_EDIT_DISTANCE) {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((t) => ['insert', t]);
  if (m === 0) return a.map((t) => ['delete', t]);
  const limit = Math.min(n + m, max);
  const offset = limit + 1;
  let v = new Int32Array(2 * limit + 3);
  const trace = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
        ? v[offset + k + 1]
        : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
    v = next;
  }
  return null;
}

function backtrack(trace, a, b, dEnd) {
  const script = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    // trace[d] holds v before round d, covering diagonals -d-1 .. d+1.
    const v = trace[d];
    const at = (k) => v[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      script.push(['equal', a[--x]]);
      y--;
    }
    if (down) script.push(['insert', b[--y]]);
    else script.push(['delete', a[--x]]);
  }
  while (x > 0 && y > 0) {
    script.push(['equal', a[--x]]);
    y--;
  }
  return script.reverse();
}

/**
 * Reads better: white space alone between two changes joins them ("a b" -> "x y" is one replacement, not two),
 * and in each run of changes the deletion comes before the insertion.
 * @param {DiffPart[]} parts
 */
function readable(parts) {
  const folded = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const between = part.type === 'equal' && /^\s+$/.test(part.text) && part.text.length <= 3
      && i > 0 && i < parts.length - 1 && parts[i - 1].type !== 'equal' && parts[i + 1].type !== 'equal';
    if (between) {
      folded.push({ type: 'delete', text: part.text }, { type: 'insert', text: part.text });
    } else {
      folded.push({ ...part });
    }
  }
  const result = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    push(result, 'delete', deleted);
    push(result, 'insert', inserted);
    deleted = '';
    inserted = '';
  };
  for (const part of folded) {
    if (part.type === 'equal') {
      flush();
      push(result, 'equal', part.text);
    } else if (part.type === 'delete') {
      deleted += part.text;
    } else {
      inserted += part.text;
    }
  }
  flush();
  // "the| new| plan" and "the |new |plan" are the same change; the second reads as a word and its space.
  for (let i = 1; i < result.length - 1; i++) {
    const [before, change, after] = [result[i - 1], result[i], result[i + 1]];
    if (before.type !== 'equal' || after.type !== 'equal' || change.type === 'equal') continue;
    while (/^\s/.test(change.text) && change.text[0] === after.text[0]) {
      before.text += change.text[0];
      change.text = change.text.slice(1) + after.text[0];
      after.text = after.text.slice(1);
    }
    if (!after.text) result.splice(i + 1, 1);
  }
  return result;
}
