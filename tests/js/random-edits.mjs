// Seeded random texts and operations for the property and convergence tests. Edits cut the text
// only between code points, as an editor does, so no operation splits a surrogate pair.
import { TextOperationBuilder } from '../../wwwroot/js/ot.js';

const PIECES = ['a', 'b', 'z', ' ', '\n', 'á', 'Orbán', 'Ελλάδα', 'България', '€', '🇪🇺', '👍🏽', '👍', 'ß'];

/** mulberry32: small, fast and good enough to drive tests reproducibly from a seed. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

export function randomText(random, maxPieces = 3) {
  const count = 1 + random.int(maxPieces);
  let text = '';
  for (let i = 0; i < count; i++) text += random.pick(PIECES);
  return text;
}

/** Lengths in code units of the code points of text. */
function codePointLengths(text) {
  return Array.from(text, (ch) => ch.length);
}

/** A random operation on text: sometimes one small edit, sometimes edits all over. */
export function randomOperation(random, text) {
  const builder = new TextOperationBuilder();
  const units = codePointLengths(text);
  if (random.next() < 0.5) {
    const at = random.int(units.length + 1);
    const before = units.slice(0, at).reduce((s, n) => s + n, 0);
    builder.retain(before);
    let deleted = 0;
    if (random.next() < 0.4 && at < units.length) {
      const count = 1 + random.int(Math.min(3, units.length - at));
      deleted = units.slice(at, at + count).reduce((s, n) => s + n, 0);
    }
    if (deleted === 0 || random.next() < 0.5) builder.insert(randomText(random));
    builder.delete(deleted);
    builder.retain(text.length - before - deleted);
    return builder.build();
  }
  for (let i = 0; i < units.length;) {
    const roll = random.next();
    if (roll < 0.15) {
      builder.insert(randomText(random));
      continue;
    }
    const count = Math.min(1 + random.int(3), units.length - i);
    const length = units.slice(i, i + count).reduce((s, n) => s + n, 0);
    if (roll < 0.35) builder.delete(length); else builder.retain(length);
    i += count;
  }
  if (random.next() < 0.3) builder.insert(randomText(random));
  return builder.build();
}
