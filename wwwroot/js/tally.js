// The server's tally of an item (ItemTallyDto in src/BriefingRoom/Tally, the DecisionResult fields of
// src/BriefingRoom/Voting/DecisionContracts.cs in camelCase) in the shape the views draw. The page never
// computes an outcome itself: the outcome, the reason, who blocks and what would flip it are the server's
// words. The snapshot carries every visible item's tally; an EventTypes.TallyChanged event {itemId, tally} replaces one.
// tests/js/tally.test.mjs pins this against JSON the server really sent (tests/js/fixtures).

/**
 * @typedef {{inFavour: number, abstaining: number, undecided: number, against: number, participating: number,
 *            required: number | null, thresholdPercent: number | null}} Measure
 * @typedef {{
 *   itemId: number | null, outcome: string, reason: string, basis: string, rule: string, requirement: string,
 *   kind: 'majority' | 'unanimity' | 'none',
 *   members: Measure, population: Measure | null,
 *   counts: {stance: string, members: number, codes: string[]}[],
 *   blockers: {code: string, name: string, stance: string}[],
 *   flips: {description: string, outcome: string, changes: {code: string, name: string, from: string, to: string}[]}[],
 *   reservations: {code: string, name: string, kind: string, text: string}[],
 *   notCounted: {code: string, name: string, kind: string, reason: string}[],
 *   notes: string[],
 * }} TallyView
 */

const IN_FAVOUR = new Set(['support', 'supportWithReservation']);
const ABSTAINING = new Set(['abstain', 'abstainConstructively']);
const UNANIMITY_RULES = new Set(['consensus', 'unanimity', 'unanimityWithConstructiveAbstention']);

const num = (value, fallback = 0) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const numOrNull = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const list = (value) => (Array.isArray(value) ? value.filter((x) => x && typeof x === 'object') : []);
const str = (value) => (value == null ? '' : String(value));

/**
 * The server's tally in the shape the view draws. Returns null for anything it cannot read.
 * @returns {TallyView | null}
 */
export function normalizeTally(raw) {
  if (!raw || typeof raw !== 'object' || typeof raw.outcome !== 'string') return null;
  const tallies = list(raw.tallies);
  const t = raw.thresholds && typeof raw.thresholds === 'object' ? raw.thresholds : {};
  const sum = (stances, field) => tallies.filter((x) => stances.has(x.stance)).reduce((total, x) => total + num(x[field]), 0);
  const measure = (field, participating, required, thresholdPercent) => ({
    inFavour: sum(IN_FAVOUR, field),
    abstaining: sum(ABSTAINING, field),
    undecided: sum(new Set(['noPosition']), field),
    against: sum(new Set(['oppose']), field),
    participating,
    required,
    thresholdPercent,
  });
  const participatingMembers = num(t.participatingMembers,
    tallies.filter((x) => x.stance !== 'notTakingPart').reduce((total, x) => total + num(x.members), 0));
  const rule = str(raw.rule);
  const kind = rule === 'forInformation' || raw.outcome === 'noDecision'
    ? 'none'
    : (UNANIMITY_RULES.has(rule) || (t.membersRequired == null && t.populationRequired == null) ? 'unanimity' : 'majority');
  return {
    itemId: numOrNull(raw.itemId),
    outcome: raw.outcome,
    reason: str(raw.reason),
    basis: str(raw.basis),
    rule,
    requirement: str(t.description),
    kind,
    members: measure('members', participatingMembers,
      kind === 'majority' ? numOrNull(t.membersRequired) : null,
      kind === 'majority' ? numOrNull(t.membersPercent) : null),
    population: kind === 'majority' && t.populationRequired != null
      ? measure('population', num(t.participatingPopulation), numOrNull(t.populationRequired), numOrNull(t.populationPercent))
      : null,
    counts: tallies.map((x) => ({ stance: str(x.stance), members: num(x.members), codes: Array.isArray(x.codes) ? x.codes.map(String) : [] })),
    blockers: list(raw.blockers).map((b) => ({ code: str(b.code), name: str(b.name || b.code), stance: str(b.stance) })),
    flips: list(raw.flips).map((f) => ({
      description: str(f.description),
      outcome: str(f.outcome),
      changes: list(f.changes).map((c) => ({ code: str(c.code), name: str(c.name || c.code), from: str(c.from), to: str(c.to) })),
    })).filter((f) => f.description),
    reservations: list(raw.reservations).map((r) => ({ code: str(r.code), name: str(r.name || r.code), kind: str(r.kind), text: str(r.text) })),
    notCounted: list(raw.notCounted).map((n) => ({ code: str(n.code), name: str(n.name || n.code), kind: str(n.kind), reason: str(n.reason) })),
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : [],
    /** A guest's view: the outcome in words, nobody's stance (the chair has not opened the item's positions). */
    positionsWithheld: raw.positionsWithheld === true,
  };
}

/**
 * The item and its new tally from the payload of an EventTypes.TallyChanged event.
 * @returns {{itemId: number, tally: TallyView} | null}
 */
export function tallyFromEvent(payload) {
  const tally = normalizeTally(payload?.tally);
  const itemId = numOrNull(payload?.itemId) ?? tally?.itemId ?? null;
  return tally && itemId !== null ? { itemId, tally: { ...tally, itemId } } : null;
}

/** "if Hungary abstains: adopted" as a sentence: "If Hungary abstains: adopted". */
export function sentence(text) {
  const s = str(text).trim();
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
