// The OT operation between two values of a text, when only the values are known (a snapshot reload, a
// refused edit rolled back): the span between their common prefix and common suffix. The editor itself
// hands over each edit as an operation (cm-text.js) and needs no guessing.

import { TextOperation } from './ot.js';

const isHigh = (code) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code) => code >= 0xdc00 && code <= 0xdfff;

/** True when index falls between the two halves of a surrogate pair. */
function splitsPair(text, index) {
  return index > 0 && index < text.length
    && isHigh(text.charCodeAt(index - 1)) && isLow(text.charCodeAt(index));
}

/**
 * The single replaced span that turns oldText into newText.
 * `caret` (the caret in newText after the edit, if known) settles which of several equal answers the
 * user meant: typing "a" into "aa" at index 1 leaves the caret at 2, so the insert is at 1, not 2.
 * A boundary never cuts a surrogate pair (an emoji) in two.
 * @param {string} oldText
 * @param {string} newText
 * @param {number} [caret]
 * @returns {{start: number, deleted: number, inserted: string}}
 */
export function diffSpan(oldText, newText, caret) {
  const oldLength = oldText.length;
  const newLength = newText.length;
  let suffix = 0;
  let prefix = 0;
  if (Number.isInteger(caret) && caret >= 0 && caret <= newLength) {
    const suffixLimit = Math.min(oldLength, newLength - caret);
    while (suffix < suffixLimit
      && oldText.charCodeAt(oldLength - 1 - suffix) === newText.charCodeAt(newLength - 1 - suffix)) suffix++;
    const prefixLimit = Math.min(oldLength, newLength) - suffix;
    while (prefix < prefixLimit && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  } else {
    const prefixLimit = Math.min(oldLength, newLength);
    while (prefix < prefixLimit && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
    const suffixLimit = Math.min(oldLength, newLength) - prefix;
    while (suffix < suffixLimit
      && oldText.charCodeAt(oldLength - 1 - suffix) === newText.charCodeAt(newLength - 1 - suffix)) suffix++;
  }
  while (prefix > 0 && (splitsPair(oldText, prefix) || splitsPair(newText, prefix))) prefix--;
  while (suffix > 0 && (splitsPair(oldText, oldLength - suffix) || splitsPair(newText, newLength - suffix))) suffix--;
  return {
    start: prefix,
    deleted: oldLength - prefix - suffix,
    inserted: newText.slice(prefix, newLength - suffix),
  };
}

/**
 * The operation that turns oldText into newText, or null when they are equal.
 * @param {string} oldText
 * @param {string} newText
 * @param {number} [caret] the caret in newText after the edit
 * @returns {TextOperation | null}
 */
export function operationFromEdit(oldText, newText, caret) {
  if (oldText === newText) return null;
  const { start, deleted, inserted } = diffSpan(oldText, newText, caret);
  return TextOperation.builder()
    .retain(start)
    .delete(deleted)
    .insert(inserted)
    .retain(oldText.length - start - deleted)
    .build();
}
