// Coalitions of the willing (src/BriefingRoom/Coalitions). The chair turns an item the Council did not agree on
// (status notAgreed) into a coalition statement whose first signatories are the member states supporting it;
// member states and the guests invited to the item sign or withdraw (a delegate for its own delegation, the chair
// or the secretariat on its behalf) until the chair closes the list. Every answer and every coalition.* event
// carries the whole CoalitionDto, so the page simply replaces what it had. The wording ("Firmly supported by ...")
// is the server's, shown as given. The requests are in api.js (Api.createCoalition and the rest).

/**
 * @typedef {{code: string, name: string, kind: string, joinedAt: string, recordedBy: string, recordedOnBehalf: boolean}} Signatory
 * @typedef {{itemId: number, signatories: Signatory[], memberStates: number, locked: boolean,
 *            lockedBy: string | null, lockedAt: string | null, wording: string}} CoalitionView
 */

const str = (value) => (value == null ? '' : String(value));

/** @returns {CoalitionView | null} */
export function normalizeCoalition(raw) {
  if (!raw || typeof raw !== 'object' || !Number.isInteger(raw.itemId) || !Array.isArray(raw.signatories)) return null;
  const signatories = raw.signatories.filter((s) => s && typeof s === 'object' && s.code).map((s) => ({
    code: str(s.code),
    name: str(s.name || s.code),
    kind: str(s.kind),
    joinedAt: str(s.joinedAt),
    recordedBy: str(s.recordedBy),
    recordedOnBehalf: Boolean(s.recordedOnBehalf),
  }));
  return {
    itemId: raw.itemId,
    signatories,
    memberStates: Number.isInteger(raw.memberStates) ? raw.memberStates : signatories.filter((s) => s.kind === 'memberState').length,
    locked: Boolean(raw.locked),
    lockedBy: raw.lockedBy == null ? null : str(raw.lockedBy),
    lockedAt: raw.lockedAt == null ? null : str(raw.lockedAt),
    wording: str(raw.wording),
  };
}

/** The signature of delegation <code> in a coalition (a view or an answer), or undefined. */
export function signatureOf(coalition, code) {
  return coalition?.signatories?.find((s) => s.code === code);
}

/** When a signature was given, in milliseconds, or null: the page compares signatures by their moment. */
export function signedAtMs(signatory) {
  const ms = Date.parse(signatory?.joinedAt ?? '');
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The room's coalitions by item, which also remember every signature the page has seen in them (who, and when
 * signed), even once withdrawn. An answer to the delegate's own signing can then tell a room that has not heard of
 * it yet from one that heard of it and has moved past it.
 */
export class Coalitions extends Map {
  /** @type {Map<number, Set<string>>} per item, "code@milliseconds" of each signature seen */
  #seen = new Map();

  set(itemId, coalition) {
    for (const s of coalition?.signatories ?? []) {
      const at = signedAtMs(s);
      if (at === null) continue;
      if (!this.#seen.has(itemId)) this.#seen.set(itemId, new Set());
      this.#seen.get(itemId).add(`${s.code}@${at}`);
    }
    return super.set(itemId, coalition);
  }

  /** When <code>'s signature on item <itemId>'s statement, as the room shows it now, was given (milliseconds), or null. */
  signedAt(itemId, code) {
    return signedAtMs(signatureOf(this.get(itemId), code));
  }

  /** Whether the page has seen <code> sign item <itemId>'s statement at the moment <ms>, whether or not it still does. */
  hasSeenSignature(itemId, code, ms) {
    return ms !== null && Boolean(this.#seen.get(itemId)?.has(`${code}@${ms}`));
  }
}

/** Who signed between two states of a coalition, and who withdrew, as delegation names. */
export function signatoryChanges(before, after) {
  const had = new Set(before?.signatories.map((s) => s.code) ?? []);
  const has = new Set(after?.signatories.map((s) => s.code) ?? []);
  return {
    joined: (after?.signatories ?? []).filter((s) => !had.has(s.code)),
    left: (before?.signatories ?? []).filter((s) => !has.has(s.code)),
  };
}

/**
 * The delegations that may sign an item's statement (member states and the guests invited to it; institutions
 * never sign), as the room's participants list them.
 * @param {import('./room-state.js').RoomState} state
 */
export function eligibleSignatories(state, itemId) {
  return state.delegationsFor(itemId).filter((d) => d.kind === 'memberState' || d.kind === 'guest');
}

/**
 * The delegation this person signs for themselves, or null: a delegate of a member state or of a guest
 * invited to the item. The chair and the secretariat sign on others' behalf instead.
 */
export function ownSignatory(state, itemId) {
  const { role, delegationCode } = state.you ?? {};
  if (role !== 'delegate' || !delegationCode) return null;
  return eligibleSignatories(state, itemId).find((d) => d.delegationCode === delegationCode) ?? null;
}
