// Paragraph numbers, by the conclusions PDF's rule, so that "paragraph 7" in the room is paragraph 7 of the
// exported conclusions. The C# side is ConclusionsService.Sections and the layout engine's running count;
// tests/vectors/paragraph-vectors.json holds cases that both test suites run.
//
// The rule: a draft's paragraphs are its lines ('\n' only) that are not empty once trimmed. The conclusions
// print the agreed items in agenda order and number their paragraphs continuously across the document; a
// coalition statement takes one paragraph there (the cross reference to its own document), and its text is
// numbered from 1 in that document. An item that is neither agreed nor a coalition statement is not printed;
// its paragraphs get the numbers they would have if it were agreed now.

/**
 * What .NET's char.IsWhiteSpace calls white space (string.Trim() trims it): JavaScript's \s less U+FEFF,
 * plus U+0085. One rule for both sides, so a line of nothing but a byte-order mark is a paragraph in both.
 */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const NOT_SPACE = new RegExp(`[^${SPACE}]`);
const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

/** True when a line holds a paragraph (something other than white space). */
export function isParagraph(line) {
  return NOT_SPACE.test(line);
}

/** The line as the PDF prints it. */
export function trimParagraph(line) {
  return line.replace(TRIM, '');
}

/**
 * The paragraphs of a text, numbered from 1.
 * @param {string} text
 * @returns {{number: number, line: number, from: number, to: number, text: string}[]} line is 0-based;
 *   from/to are the line's offsets in the text (untrimmed)
 */
export function paragraphsOf(text) {
  const result = [];
  let from = 0;
  let line = 0;
  for (;;) {
    const end = text.indexOf('\n', from);
    const to = end < 0 ? text.length : end;
    const content = text.slice(from, to);
    if (isParagraph(content)) result.push({ number: result.length + 1, line, from, to, text: trimParagraph(content) });
    if (end < 0) return result;
    from = end + 1;
    line++;
  }
}

/** How many paragraphs a text has. */
export function countParagraphs(text) {
  let count = 0;
  let from = 0;
  for (;;) {
    const end = text.indexOf('\n', from);
    if (isParagraph(end < 0 ? text.slice(from) : text.slice(from, end))) count++;
    if (end < 0) return count;
    from = end + 1;
  }
}

/**
 * Where each item's paragraph numbering starts (the number of its first paragraph, less one).
 * The conclusions print, in agenda order, each agreed item's paragraphs and, for each coalition statement, one
 * paragraph: the cross reference to the statement's own document. A statement's text is numbered in that document,
 * from 1. An item that is neither is not printed; its paragraphs get the numbers they would have if agreed now.
 * @param {{id: number, number: number, status: string, text: string}[]} items every item of the agenda
 * @returns {Map<number, {offset: number, printed: boolean, statement: boolean}>} printed: a document prints these
 *   numbers now; statement: they are the numbers of the statement's own document
 */
export function numberingOffsets(items) {
  const ordered = [...items].sort((a, b) => a.number - b.number || a.id - b.id);
  const result = new Map();
  let printed = 0;
  for (const item of ordered) {
    if (item.status === 'agreed') {
      result.set(item.id, { offset: printed, printed: true, statement: false });
      printed += countParagraphs(item.text);
    } else if (item.status === 'coalition') {
      result.set(item.id, { offset: 0, printed: true, statement: true });
      printed += 1;
    } else {
      result.set(item.id, { offset: printed, printed: false, statement: false });
    }
  }
  return result;
}

/**
 * Per line of a text (0-based), its paragraph's number within the text, or 0 for a blank line.
 * @param {Iterable<string>} lines
 * @returns {Int32Array}
 */
export function paragraphNumbersByLine(lines) {
  const numbers = [];
  let n = 0;
  for (const line of lines) numbers.push(isParagraph(line) ? ++n : 0);
  return Int32Array.from(numbers);
}

/**
 * "paragraph 3", "between paragraphs 3 and 4", "after paragraph 9", "before paragraph 1", or "in an empty text".
 * @param {Int32Array} byLine paragraph numbers per line (see paragraphNumbersByLine), within the text
 * @param {number} line 0-based
 * @param {number} offset added to every number (numberingOffsets)
 */
export function describeLine(byLine, line, offset = 0) {
  const own = byLine[line] ?? 0;
  if (own > 0) return `paragraph ${own + offset}`;
  let before = 0;
  for (let i = line - 1; i >= 0 && before === 0; i--) before = byLine[i];
  let after = 0;
  for (let i = line + 1; i < byLine.length && after === 0; i++) after = byLine[i];
  if (before && after) return `between paragraphs ${before + offset} and ${after + offset}`;
  if (before) return `after paragraph ${before + offset}`;
  if (after) return `before paragraph ${after + offset}`;
  return 'in an empty text';
}
