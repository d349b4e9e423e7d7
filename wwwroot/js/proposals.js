// Drafting proposals as this page knows them: the snapshot's, each replaced whole by its proposal.* events, and each
// open one's span moved through every committed operation of its draft (text.edited, in sequence order) exactly as
// the server moves it (proposal-spans.js). What the editor shows is that span moved on through our own unconfirmed
// edits. No DOM; the REST calls the proposals panel makes are at the end.

import { call } from './api.js';
import { TextOperation } from './ot.js';
import { advanceSpan, mapSpan } from './proposal-spans.js';

/**
 * @typedef {{from: number, to: number, revision: number, deleted: boolean}} ProposalSpan
 * @typedef {{id: number, number: number, itemId: number, documentId: string, delegationCode: string | null,
 *   proposer: string, proposedBy: string, at: string, original: string, replacement: string, reason: string | null,
 *   status: 'open'|'accepted'|'rejected'|'withdrawn'|'lapsed', span: ProposalSpan, backers: string[], objectors: string[],
 *   carry: {carries: boolean, outcome: string, reason: string} | null,
 *   decision: {by: string, at: string, reason: string | null, acceptedRevision: number | null} | null,
 *   positionsWithheld?: boolean}} Proposal (positionsWithheld: a guest's copy, without backers, objectors or carry)
 */

export class ProposalBook {
  /** @type {Map<number, Proposal>} */
  #byId = new Map();

  /** @param {Proposal[]} [proposals] */
  constructor(proposals = []) {
    for (const p of proposals) this.#byId.set(p.id, p);
  }

  get size() { return this.#byId.size; }

  get(id) { return this.#byId.get(id) ?? null; }

  /** The proposals on an item's draft: open ones first in their order in the text, then the closed ones, latest first. */
  forItem(itemId) {
    const all = [...this.#byId.values()].filter((p) => p.itemId === itemId);
    const open = all.filter((p) => p.status === 'open').sort((a, b) => a.span.from - b.span.from || a.number - b.number);
    const closed = all.filter((p) => p.status !== 'open').sort((a, b) => b.number - a.number);
    return [...open, ...closed];
  }

  /** A proposal.* event: the whole proposal, as it stands after the event. */
  upsert(proposal) {
    const before = this.#byId.get(proposal.id) ?? null;
    this.#byId.set(proposal.id, proposal);
    return before;
  }

  /**
   * A committed operation on a text (from text.edited, our own included): the open proposals on it move with it.
   * @param {string} documentId
   * @param {number} revision the revision the operation makes
   * @param {import('./ot.js').TextOperation} operation
   * @returns {boolean} whether any proposal is on that text
   */
  advance(documentId, revision, operation) {
    let any = false;
    for (const [id, p] of this.#byId) {
      if (p.documentId !== documentId || p.status !== 'open') continue;
      any = true;
      const span = advanceSpan(p.span, revision, operation);
      if (span !== p.span) this.#byId.set(id, { ...p, span });
    }
    return any;
  }

  /** The same, for an operation in its wire form (a page of the text's history). */
  advanceWire(documentId, revision, wire) {
    return this.advance(documentId, revision, TextOperation.fromJSON(wire));
  }

  /** The draft was loaded afresh (a snapshot): its proposals come with it. */
  replaceAll(proposals) {
    this.#byId = new Map(proposals.map((p) => [p.id, p]));
  }

  removeItem(itemId) {
    for (const [id, p] of this.#byId) if (p.itemId === itemId) this.#byId.delete(id);
  }
}

/**
 * Where an open proposal shows in the text as this page shows it: its span at the server's revision, moved through
 * our unconfirmed edits (in flight, then buffered). Null when the page's copy of the text is not at the span's revision.
 * @param {Proposal} proposal
 * @param {import('./shared-text.js').SharedText} shared
 */
export function localSpan(proposal, shared) {
  if (proposal.span.revision !== shared.revision) return null;
  let span = proposal.span;
  for (const op of shared.pendingOperations) span = { ...mapSpan(span, op), revision: span.revision };
  return span;
}

/** "proposal 7 of France": how the history, the list and the announcements name a proposal. */
export function proposalName(p) {
  return `Proposal ${p.number} of ${p.proposer}`;
}

/** Why a proposal lapsed: the reason the server recorded, or what lapses one when none was (its item agreed). */
export function lapseReason(p) {
  return p.decision?.reason ?? 'its item was agreed';
}

/**
 * What the page says once its tabling is answered. A press sent again after an answer lost on the way is answered with
 * the proposal the first press tabled, as it now stands: decided meanwhile, it says so rather than "is tabled".
 */
export function tabledNews(p) {
  const name = proposalName(p);
  switch (p.status) {
    case 'accepted':
    case 'rejected':
      return `${name} was tabled, and has since been ${p.status}${p.decision?.by ? ` by ${p.decision.by}` : ''}.`;
    case 'withdrawn':
      return `${name} was tabled, and has since been withdrawn.`;
    case 'lapsed':
      return `${name} was tabled, and has since lapsed: ${lapseReason(p)}.`;
    default:
      return `${name} is tabled.`;
  }
}

/** What a proposal does, in words: "replace “should” by “shall”", "insert “firmly”", "delete “very”". */
export function describeChange(p) {
  if (p.original === '') return `insert “${p.replacement}”`;
  if (p.replacement === '') return `delete “${p.original}”`;
  return `replace “${p.original}” by “${p.replacement}”`;
}

/**
 * Who may do what with a proposal, from what the snapshot says of us (the server checks again). `frozen`: why the
 * item's texts are frozen (lock, agreed, silence), which stops every action; `wordsFrozen`: why this user may not change
 * the draft's words (statement.js draftFrozenReason: also a coalition statement open for signature), which stops only
 * an acceptance, as the server's acceptance follows the rules of typing into the draft.
 */
export function proposalActions(p, you, frozen, wordsFrozen = null) {
  const open = p.status === 'open' && !frozen;
  const pen = you.role === 'chair' || you.role === 'secretariat' || you.isAdmin === true;
  const code = you.delegationCode ?? null;
  // Delegations of member states and institutions have a voice; a guest's delegate (who does not draft) has none.
  const voice = code !== null && you.role === 'delegate' && you.canEditDrafts === true && code !== p.delegationCode;
  // The server takes whoever holds the pen (an admin too, even in a delegate's seat) as the Presidency, never as a delegation.
  const proposer = p.delegationCode !== null ? code === p.delegationCode && you.role === 'delegate' && !pen : pen;
  return {
    back: open && voice,
    object: open && voice,
    accept: open && pen && !p.span.deleted && !wordsFrozen,
    reject: open && pen,
    withdraw: open && proposer,
    voice: code !== null && p.backers.includes(code) ? 'back' : code !== null && p.objectors.includes(code) ? 'object' : 'none',
  };
}

/**
 * The chair's question before agreeing an item with open proposals (agreed text is final: the server lapses them in the
 * same change), naming each one; `number` is the item's numeral as the page shows it.
 */
export function lapseQuestion(number, open) {
  const which = open.map(proposalName).join('; ');
  const [them, they] = open.length === 1 ? ['its open proposal', 'It'] : [`its ${open.length} open proposals`, 'They'];
  return `Agreeing item ${number} lapses ${them} (${which}). ${they} can no longer be accepted, even if the item is reopened. Agree it?`;
}

const meeting = (id) => `/api/meetings/${encodeURIComponent(id)}`;

/** The REST twins of the hub's proposal methods; each answers the proposal (or the item) as it now stands. */
export const ProposalApi = Object.freeze({
  setDraftingMode: (meetingId, itemId, mode) => call('PUT', `${meeting(meetingId)}/items/${encodeURIComponent(itemId)}/drafting-mode`, { mode }),
  table: (meetingId, itemId, request) => call('POST', `${meeting(meetingId)}/items/${encodeURIComponent(itemId)}/proposals`, request),
  support: (meetingId, id, voice) => call('PUT', `${meeting(meetingId)}/proposals/${encodeURIComponent(id)}/support`, { voice }),
  accept: (meetingId, id) => call('POST', `${meeting(meetingId)}/proposals/${encodeURIComponent(id)}/accept`),
  reject: (meetingId, id, reason) => call('POST', `${meeting(meetingId)}/proposals/${encodeURIComponent(id)}/reject`, { reason }),
  withdraw: (meetingId, id, reason) => call('POST', `${meeting(meetingId)}/proposals/${encodeURIComponent(id)}/withdraw`, { reason: reason || null }),
});
