// ADAPTER for the tally API, which is being built elsewhere (issue: voting). The page never computes
// a tally itself: it shows what the server says, or "tally unavailable".
//
// Expected, not yet confirmed: GET /api/meetings/{m}/items/{i}/tally answers the voting module's
// DecisionResult (src/BriefingRoom/Voting/DecisionContracts.cs on the voting branch) in camelCase, and
// position.changed events may carry the same object as `tally` (in the payload or beside it).
// When the real shape lands, only normalizeTally() (and perhaps tallyFromEvent()) should need to change;
// tests/js/tally.test.mjs pins what the views rely on.

import { Api, send } from './api.js';

/**
 * What the tally view draws.
 * @typedef {{
 *   outcome: string, reason: string, basis: string, rule: string,
 *   kind: 'majority' | 'unanimity' | 'none',
 *   members: {inFavour: number, participating: number, required: number | null, thresholdPercent: number | null},
 *   population: {inFavour: number, participating: number, required: number | null, thresholdPercent: number | null} | null,
 *   counts: {stance: string, members: number, codes: string[]}[],
 *   blockers: {code: string, name: string, stance: string}[],
 *   notes: string[],
 * }} TallyView
 */

const IN_FAVOUR = new Set(['support', 'supportWithReservation']);

const num = (value, fallback = 0) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const numOrNull = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The server's tally in the shape the view draws. Returns null for anything it cannot read.
 * @returns {TallyView | null}
 */
export function normalizeTally(raw) {
  if (!raw || typeof raw !== 'object' || typeof raw.outcome !== 'string') return null;
  const tallies = Array.isArray(raw.tallies) ? raw.tallies : [];
  const t = raw.thresholds ?? {};
  const favour = tallies.filter((x) => IN_FAVOUR.has(x.stance));
  const participatingMembers = num(t.participatingMembers,
    tallies.filter((x) => x.stance !== 'notTakingPart').reduce((sum, x) => sum + num(x.members), 0));
  const kind = raw.rule === 'forInformation' || raw.outcome === 'noDecision'
    ? 'none'
    : (t.membersRequired != null || t.populationRequired != null ? 'majority' : 'unanimity');
  return {
    outcome: raw.outcome,
    reason: String(raw.reason ?? ''),
    basis: String(raw.basis ?? ''),
    rule: String(raw.rule ?? ''),
    kind,
    members: {
      inFavour: favour.reduce((sum, x) => sum + num(x.members), 0),
      participating: participatingMembers,
      required: kind === 'unanimity' ? participatingMembers : numOrNull(t.membersRequired),
      thresholdPercent: kind === 'unanimity' ? 100 : numOrNull(t.membersPercent),
    },
    population: t.populationRequired == null ? null : {
      inFavour: favour.reduce((sum, x) => sum + num(x.population), 0),
      participating: num(t.participatingPopulation),
      required: numOrNull(t.populationRequired),
      thresholdPercent: numOrNull(t.populationPercent),
    },
    counts: tallies.map((x) => ({ stance: x.stance, members: num(x.members), codes: Array.isArray(x.codes) ? x.codes : [] })),
    blockers: (Array.isArray(raw.blockers) ? raw.blockers : [])
      .map((b) => ({ code: String(b.code ?? ''), name: String(b.name ?? b.code ?? ''), stance: String(b.stance ?? '') })),
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : [],
  };
}

/** The tally pushed with a position event, if any. @returns {TallyView | null} */
export function tallyFromEvent(event) {
  return normalizeTally(event?.payload?.tally ?? event?.tally);
}

/**
 * @returns {Promise<{state: 'ready', tally: TallyView} | {state: 'unavailable' | 'error', message: string}>}
 */
export async function loadTally(meetingId, itemId) {
  let response;
  try {
    response = await send('GET', Api.paths.tally(meetingId, itemId));
  } catch {
    return { state: 'error', message: 'The tally could not be fetched: no connection.' };
  }
  if (response.status === 404) return { state: 'unavailable', message: 'Tally unavailable.' };
  if (!response.ok) return { state: 'error', message: `The tally could not be fetched (${response.status}).` };
  const tally = normalizeTally(await response.json().catch(() => null));
  return tally ? { state: 'ready', tally } : { state: 'unavailable', message: 'Tally unavailable: the server sent a shape this page cannot read.' };
}
