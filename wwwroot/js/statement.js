// Signatures bind a text (issue 14). A coalition statement open for signature is frozen for everyone; the chair
// changes it only by opening a revision with a reason, which withdraws every signature (each signatory is told
// why), then reopens it for signature. Leaving the coalition state archives the coalition (restorable). And what a
// guest may see of an item's positions is the chair's choice per item. The room state's share of these events.

import { EventTypes } from './hub-names.js';
import { normalizeCoalition } from './coalition.js';
import { roman } from './labels.js';

/** Whether the page is a guest delegation's (it sees only its items, and positions only where the chair opened them). */
export function isGuestView(state) {
  const code = state.you?.delegationCode;
  return code != null && state.participants.get(code)?.kind === 'guest' && state.you.role !== 'chair';
}

/**
 * Why the item's draft cannot be edited by this user now, or null: the item's own freeze (lock, agreed), or a
 * statement open for signature, or a revision that only the chair edits.
 */
export function draftFrozenReason(state, itemId) {
  const frozen = state.frozenReason(itemId);
  if (frozen) return frozen;
  const item = state.items.get(itemId);
  if (item?.status !== 'coalition') return null;
  if (!item.statementRevision) {
    return 'Open for signature: the statement’s text is frozen, so that every signature stays on the text signed. '
      + 'Only the chair may change it, giving a reason, and that withdraws every signature.';
  }
  return state.you?.canManageAgenda
    ? null
    : `The chair is revising the statement (${item.statementRevision.reason}): only the chair edits it until it is reopened for signature.`;
}

/** The last withdrawal of the item's signatures this page saw, or null: {reason, by, at, mine, count}. */
export function withdrawalOf(state, itemId) {
  return state.withdrawals?.get(itemId) ?? null;
}

/** Applies one of the events above to the room state (see RoomState.apply). */
export function applyTrustEvent(state, event, change, who) {
  const p = event.payload ?? {};
  const itemId = p.itemId ?? event.itemId ?? null;
  const item = state.items.get(itemId);
  change.itemId = itemId;
  if (!item) return;
  const n = roman(item.number);
  state.withdrawals ??= new Map();
  switch (event.type) {
    case EventTypes.CoalitionSignaturesWithdrawn: {
      const coalition = normalizeCoalition(p.coalition);
      if (coalition) state.coalitions.set(itemId, coalition);
      const code = state.you?.delegationCode;
      const withdrawn = Array.isArray(p.withdrawn) ? p.withdrawn : [];
      const mine = code != null && withdrawn.some((s) => s.code === code);
      state.withdrawals.set(itemId, { reason: String(p.reason ?? ''), by: String(p.by ?? who), at: p.at ?? event.at, mine, count: withdrawn.length });
      change.scopes.add('coalition').add('item');
      change.announce = mine
        ? `Your signature on item ${n} was withdrawn because ${p.by ?? who} changed the text: ${p.reason}`
        : `${who} opened item ${n}’s statement for a change (${p.reason}): every signature was withdrawn.`;
      break;
    }
    case EventTypes.CoalitionReopened: {
      const coalition = normalizeCoalition(p);
      if (coalition) state.coalitions.set(itemId, coalition);
      change.scopes.add('coalition').add('item');
      change.announce = `Item ${n}’s statement is open for signature again.`;
      break;
    }
    case EventTypes.CoalitionRestored: {
      const coalition = normalizeCoalition(p.coalition);
      if (coalition) state.coalitions.set(itemId, coalition);
      state.withdrawals.delete(itemId);
      change.scopes.add('coalition').add('item');
      change.announce = String(p.message ?? `${who} restored item ${n}’s coalition statement.`);
      break;
    }
    case EventTypes.CoalitionArchived:
      state.coalitions.delete(itemId);
      // The withdrawal was this coalition's: a statement formed on the item later has signatures of its own.
      state.withdrawals.delete(itemId);
      change.scopes.add('coalition');
      change.announce = `${who} ended item ${n}’s coalition statement; it is kept in the item’s history, with its signatures, and can be restored.`;
      break;
    case EventTypes.GuestsPositions:
      change.scopes.add('positions').add('tally');
      change.announce = p.shared
        ? `${who} shared the member states’ positions on item ${n} with its guests.`
        : `${who} stopped sharing the member states’ positions on item ${n} with its guests.`;
      change.reloadSnapshot = isGuestView(state);
      break;
    default:
      break;
  }
}
