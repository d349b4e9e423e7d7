// Which characters a text may hold: the same rule as src/BriefingRoom/Drafting/TextRules.cs, with the same words.
// Every character real texts use is allowed (every script, emoji, combining marks, joiners, bidi marks); refused are
// control characters other than tab and line feed (a line ends with a line feed alone), noncharacters (U+FDD0–U+FDEF,
// U+xFFFE, U+xFFFF) and unpaired surrogates. The server refuses them wherever a text enters.

/**
 * The first character the text may not hold, or null.
 * @param {string} text
 * @returns {{index: number, codePoint: number, kind: 'control' | 'noncharacter' | 'surrogate'} | null}
 */
export function findRefusedCharacter(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a : c <= 0x9f) return { index: i, codePoint: c, kind: 'control' };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return { index: i, codePoint: c, kind: 'surrogate' };
      const codePoint = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if ((codePoint & 0xfffe) === 0xfffe) return { index: i, codePoint, kind: 'noncharacter' };
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return { index: i, codePoint: c, kind: 'surrogate' };
    } else if ((c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff) {
      return { index: i, codePoint: c, kind: 'noncharacter' };
    }
  }
  return null;
}

/**
 * The words for a refused character, as the server says them ("U+0000 (a control character) at position 10: ...").
 * @param {{index: number, codePoint: number, kind: string}} refused
 * @param {number} [offset] added to the position, for a piece of a longer text
 */
export function describeRefusedCharacter({ index, codePoint, kind }, offset = 0) {
  const code = codePoint.toString(16).toUpperCase().padStart(codePoint > 0xffff ? 5 : 4, '0');
  const at = index + offset;
  if (codePoint === 0x0d) return `U+000D (carriage return) at position ${at}: a line ends with U+000A (line feed) alone`;
  switch (kind) {
    case 'control': return `U+${code} (a control character) at position ${at}: a text may hold no control character but tab and line feed`;
    case 'noncharacter': return `U+${code} (a noncharacter) at position ${at}: Unicode keeps noncharacters out of texts`;
    default: return `U+${code} (half of a surrogate pair, without its other half) at position ${at}: a text must be well-formed UTF-16`;
  }
}
