// What both servers are given: the same starting text, edit size and token rule.

/** About the length of the demo meeting's first draft (BriefingRoom starts from that draft itself). */
export const INITIAL_TEXT = 'The European Council discussed the situation in Ukraine and agreed on the following points. '
  .repeat(10).slice(0, 880);

/** The one token the Hocuspocus server accepts; BriefingRoom's delegates sign in for real. */
export const TOKEN = 'side-by-side-token';

/** One keystroke: a lowercase letter inserted at a random place. */
export function keystroke(random, length) {
  return { at: Math.floor(random() * (length + 1)), char: String.fromCharCode(97 + Math.floor(random() * 26)) };
}

/** A small seeded generator (mulberry32), so both runs type the same sequence of places and letters. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
