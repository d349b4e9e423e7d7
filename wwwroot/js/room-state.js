// The room as this page knows it: a snapshot with the meeting's events applied on top, in sequence
// order (the EventSequencer sees to the order). Item, position, tally, coalition and footnote events carry
// full state and simply replace what we had; text events go through each text's OT client. No DOM: apply()
// returns what changed, and the views decide what to redraw and what to announce.

import { EventTypes, DocumentIds } from './hub-names.js';
import { numberingOffsets, countParagraphs } from './paragraphs.js';
import { SharedText } from './shared-text.js';
import { normalizeTally, tallyFromEvent } from './tally.js';
import { Coalitions, normalizeCoalition, signatoryChanges } from './coalition.js';
import { TextOperation } from './ot.js';
import { ProposalBook, lapseReason, proposalName } from './proposals.js';
import { newerSilence } from './silence.js';
import { instantText } from './dom.js';
import { applyTrustEvent } from './statement.js';
import { StanceLabels, ItemStatusLabels, OutcomeLabels, labelOf, roman, delegationName, names } from './labels.js';

/**
 * @typedef {{
 *   type: string, itemId: number | null, scopes: Set<string>, announce: string | null,
 *   documentId?: string, text?: import('./shared-text.js').EditResult, author?: string, own: boolean, heardByAll?: boolean,
 *   note?: string | null, join?: import('./announcer.js').Join | null,
 * }} Change
 */

export const positionKey = (itemId, code) => `${itemId}:${code}`;

/** Whether a position changed only in the paragraph its reservation is on (the draft moved under it; nobody restated it). */
export function reservationOnlyMoved(before, after) {
  // The time is compared to the millisecond: PostgreSQL keeps microseconds, so the statement's own event and the same
  // position read back from the database differ below that.
  return Boolean(before) && before.stance === after.stance && before.reservationKind === after.reservationKind
    && before.reservationText === after.reservationText && before.updatedBy === after.updatedBy
    && Date.parse(before.updatedAt) === Date.parse(after.updatedAt)
    && (before.reservationParagraph !== after.reservationParagraph || Boolean(before.reservationParagraphDeleted) !== Boolean(after.reservationParagraphDeleted));
}

export class RoomState {
  /** @param {object} snapshot the JoinMeeting / GET /api/meetings/{id} answer */
  constructor(snapshot, { newClientOpId } = {}) {
    this.newClientOpId = newClientOpId;
    /** @type {Map<string, SharedText>} */
    this.texts = new Map();
    this.load(snapshot);
  }

  /**
   * Takes a (new) snapshot. A text this page already has with edits of ours still unconfirmed, or edited and at an
   * earlier revision than the snapshot's, is not replaced by the snapshot's copy: it is kept as it is, and its id returned, so that the caller
   * brings it up to date from the text's history, edit by edit (and sends ours again). Replacing it whole would be one
   * change from the first difference to the last, through which an editor's undo history maps the user's own edits to
   * the wrong places (an undone deletion would put its words back at the end of that span).
   * @returns {string[]}
   */
  load(snapshot) {
    /** @type {Map<number, object>} the latest silence procedure of each item (silence.js); not in the snapshot, so kept across loads */
    this.silences ??= new Map();
    this.meetingId = snapshot.meeting.id;
    this.meeting = snapshot.meeting;
    this.seq = snapshot.seq;
    this.you = snapshot.you;
    this.participants = new Map(snapshot.participants.map((p) => [p.delegationCode, p]));
    this.items = new Map(snapshot.items.map((i) => [i.id, i]));
    this.positions = new Map(snapshot.positions.map((p) => [positionKey(p.itemId, p.delegationCode), p]));
    /** @type {Map<number, import('./tally.js').TallyView>} one per visible item, from the snapshot, then tally.changed */
    this.tallies = new Map();
    for (const raw of snapshot.tallies ?? []) {
      const tally = normalizeTally(raw);
      if (tally?.itemId != null && this.items.has(tally.itemId)) this.tallies.set(tally.itemId, tally);
    }
    /** @type {Coalitions} one per item whose status is coalition */
    this.coalitions = new Coalitions();
    for (const raw of snapshot.coalitions ?? []) {
      const coalition = normalizeCoalition(raw);
      if (coalition && this.items.has(coalition.itemId)) this.coalitions.set(coalition.itemId, coalition);
    }
    /** @type {Map<number, {paragraph: number | null, text: string}[]>} the server's footnotes, per item that has any */
    this.footnotes = new Map();
    for (const entry of snapshot.footnotes ?? []) {
      if (this.items.has(entry.itemId)) this.footnotes.set(entry.itemId, entry.footnotes ?? []);
    }
    /** Drafting proposals on the visible items' drafts, their spans moved with every committed operation (proposals.js). */
    this.proposals = new ProposalBook((snapshot.proposals ?? []).filter((p) => this.items.has(p.itemId)));
    const pending = [];
    const seen = new Set();
    for (const { id, text, revision } of snapshot.texts) {
      seen.add(id);
      const existing = this.texts.get(id);
      // Behind at revision 0, a text has no edit of the page's to undo (and may be a stand-in made before its text was
      // known, text()): the snapshot's copy does.
      if (existing?.hasPending || (existing && existing.revision > 0 && existing.revision < revision)) {
        pending.push(id);
      } else if (existing) {
        existing.replace(text, revision);
      } else {
        this.texts.set(id, new SharedText(id, text, revision, { newClientOpId: this.newClientOpId }));
      }
    }
    for (const [id, shared] of this.texts) {
      if (seen.has(id)) continue;
      const doc = DocumentIds.parse(id);
      if (doc && !this.items.has(doc.itemId)) {
        this.texts.delete(id);
      } else if (shared.hasPending) {
        pending.push(id);
      }
    }
    return pending;
  }

  /** Items in agenda order. */
  agenda() {
    return [...this.items.values()].sort((a, b) => a.number - b.number || a.id - b.id);
  }

  /** A delegation's position on an item; "no position yet" when it has said nothing. */
  position(itemId, code) {
    return this.positions.get(positionKey(itemId, code)) ?? {
      itemId, delegationCode: code, stance: 'noPosition', reservationKind: null, reservationText: null, reservationParagraph: null,
      version: 0, updatedBy: '', updatedAt: null, recordedOnBehalf: false,
    };
  }

  /** The delegations that take part in an item: member states, institutions, and the guests invited to it. */
  delegationsFor(itemId) {
    const item = this.items.get(itemId);
    if (!item) return [];
    return [...this.participants.values()].filter((p) => p.kind !== 'guest' || item.guests.includes(p.delegationCode));
  }

  /** The text of a document; a position text nobody has written yet is empty at revision 0. */
  /**
   * How an item's draft is numbered where the documents print it: `offset` is added to the draft's own paragraph
   * numbers (the ones the server stores, e.g. in a reservation), so that the room always shows and takes the margin's
   * numbers; `count` is how many paragraphs the draft has now.
   */
  paragraphNumbering(itemId) {
    const items = [...this.items.values()].map((i) => ({
      id: i.id, number: i.number, status: i.status, text: this.texts.get(DocumentIds.draft(i.id))?.text ?? '',
    }));
    const numbering = numberingOffsets(items).get(itemId);
    return { offset: numbering?.offset ?? 0, count: countParagraphs(this.texts.get(DocumentIds.draft(itemId))?.text ?? '') };
  }

  text(documentId) {
    let shared = this.texts.get(documentId);
    if (!shared) {
      shared = new SharedText(documentId, '', 0, { newClientOpId: this.newClientOpId });
      this.texts.set(documentId, shared);
    }
    return shared;
  }

  /** Why the texts of an item cannot be edited now, or null when they can. */
  /** Whether the chair has closed the meeting: nothing in it changes until it is reopened (the server refuses it). */
  get closed() {
    return this.meeting?.status === 'closed';
  }

  frozenReason(itemId) {
    const item = this.items.get(itemId);
    if (!item) return 'This item is no longer on the agenda.';
    if (this.closed) return 'The meeting is closed: nothing in it changes until the chair reopens it.';
    if (item.lock) {
      return `Locked by ${item.lock.by}${item.lock.reason ? `: ${item.lock.reason}` : '.'}`;
    }
    if (item.status === 'agreed') return 'Agreed: the texts are frozen until the chair reopens the item.';
    if (this.silences.get(itemId)?.state === 'open') {
      return 'Under a silence procedure: the texts are frozen until the deadline, unless a delegation breaks silence or the chair cancels it.';
    }
    return null;
  }

  /**
   * Applies one event, already in sequence order.
   * @returns {Change}
   */
  apply(event) {
    const own = event.actorId === this.you.userId;
    const change = { type: event.type, itemId: event.itemId ?? null, scopes: new Set(), announce: null, own };
    const p = event.payload ?? {};
    const who = event.actor || 'Someone';
    switch (event.type) {
      case EventTypes.MeetingUpdated: {
        const wasClosed = this.closed;
        this.meeting = p;
        change.scopes.add('meeting');
        change.announce = `${who} updated the meeting details.`;
        if (wasClosed !== this.closed) {
          // Closing freezes every item's texts and controls and the agenda's order, and reopening thaws them.
          change.scopes.add('item').add('agenda');
          change.announce = this.closed
            ? `${who} closed the meeting: nothing in it changes until it is reopened.`
            : `${who} reopened the meeting.`;
        }
        break;
      }
      case EventTypes.ItemCreated: {
        this.items.set(p.item.id, p.item);
        if (p.draft) this.text(p.draft.id).replace(p.draft.text, p.draft.revision);
        change.itemId = p.item.id;
        change.scopes.add('agenda');
        change.announce = `${who} added item ${roman(p.item.number)}: ${p.item.title}.`;
        break;
      }
      case EventTypes.ItemUpdated:
      case EventTypes.ItemLocked:
      case EventTypes.ItemUnlocked:
      case EventTypes.ItemStatus:
      case EventTypes.ItemDrafting: {
        const before = this.items.get(p.id);
        // Events stored before item.hidden existed still tell a dropped guest this way.
        if (this.you && isGuest(this) && !p.guests.includes(this.you.delegationCode)) {
          this.#removeItem(p.id);
          change.announce = `Item ${roman(p.number)} is no longer shared with your delegation.`;
        } else {
          // A guest's page opens an item's member positions only with the room that carries them (it loads the room
          // again on "guests.positions"): until then every member state's row would read "No position yet".
          const opening = isGuest(this) && p.guestsSeePositions && !before?.guestsSeePositions;
          this.items.set(p.id, opening ? { ...p, guestsSeePositions: false } : p);
          // A guest invited to the item just now: its event carries no texts, and no earlier event about the item was
          // the guest's to hear, so the room is loaded again for the item's draft (and whatever else is now theirs).
          if (!before && this.you && isGuest(this)) change.reloadSnapshot = true;
          change.announce = describeItemChange(event.type, who, p, before);
          // Moving an item out of "coalition" dissolves its coalition on the server; no coalition event says so.
          if (p.status !== 'coalition' && this.coalitions.delete(p.id)) change.scopes.add('coalition');
        }
        change.itemId = p.id;
        change.scopes.add('agenda').add('item');
        break;
      }
      case EventTypes.ItemHidden: {
        // Sent to guests dropped from the item; members hear it too and keep the item, which they always see.
        const hidden = this.items.get(p.itemId);
        if (!hidden || !isGuest(this)) break;
        this.#removeItem(p.itemId);
        change.itemId = p.itemId;
        change.scopes.add('agenda').add('item');
        change.announce = `Item ${roman(hidden.number)} is no longer shared with your delegation.`;
        break;
      }
      case EventTypes.ItemDeleted: {
        // Named from the item as it stood: the agenda is renumbered after it, and "an item" told a listener nothing.
        const removed = this.items.get(p.itemId);
        this.#removeItem(p.itemId);
        change.itemId = p.itemId;
        change.scopes.add('agenda').add('item');
        change.announce = removed
          ? `${who} removed item ${roman(removed.number)}, ${removed.title}, from the agenda.`
          : `${who} removed an item from the agenda.`;
        break;
      }
      case EventTypes.AgendaReordered:
        for (const { itemId, number } of p.order ?? []) {
          const item = this.items.get(itemId);
          if (item) this.items.set(itemId, { ...item, number });
        }
        change.scopes.add('agenda').add('item');
        change.announce = `${who} reordered the agenda.`;
        break;
      case EventTypes.PositionChanged: {
        const before = this.positions.get(positionKey(p.itemId, p.delegationCode));
        this.positions.set(positionKey(p.itemId, p.delegationCode), p);
        change.itemId = p.itemId;
        change.scopes.add('positions');
        const stance = labelOf(StanceLabels, p.stance).text.toLowerCase();
        const item = this.items.get(p.itemId);
        const name = delegationName(this.participants, p.delegationCode);
        const on = item ? ` on item ${roman(item.number)}` : '';
        if (reservationOnlyMoved(before, p)) {
          // A paragraph started or taken out above the reserved one: nobody stated anything, the words moved.
          // Heard by the typist too: their keys moved it, but the news is the reservation's, not their typing.
          change.heardByAll = true;
          change.announce = p.reservationParagraphDeleted
            ? `${name}'s reservation${on}: every word of its paragraph has been deleted.`
            : `${name}'s reservation${on} is now on paragraph ${p.reservationParagraph + this.paragraphNumbering(p.itemId).offset}, with its words.`;
          break;
        }
        change.announce = `${name}: ${stance}${on}${p.recordedOnBehalf ? `, recorded by ${p.updatedBy}` : ''}.`;
        break;
      }
      case EventTypes.TallyChanged: {
        const pushed = tallyFromEvent(p);
        if (!pushed || !this.items.has(pushed.itemId)) break;
        // The guests' copy (the outcome in words, nobody's stance) goes to every audience, members too, just before the
        // whole tally: a member's page that took it showed "not shared with guests" for a moment, and the tally panel
        // lost what its reader had opened, and the focus on it.
        if (pushed.tally.positionsWithheld && !(this.you && isGuest(this))) break;
        const before = this.tallies.get(pushed.itemId);
        this.tallies.set(pushed.itemId, pushed.tally);
        change.itemId = pushed.itemId;
        change.scopes.add('tally');
        const item = this.items.get(pushed.itemId);
        if (before && before.outcome !== pushed.tally.outcome) {
          change.announce = `Tally of item ${roman(item.number)}: now ${labelOf(OutcomeLabels, pushed.tally.outcome).text.toLowerCase()}.`;
        }
        break;
      }
      case EventTypes.CoalitionCreated:
      case EventTypes.CoalitionJoined:
      case EventTypes.CoalitionLeft:
      case EventTypes.CoalitionLocked:
      case EventTypes.CoalitionUnlocked: {
        const coalition = normalizeCoalition(p);
        if (!coalition || !this.items.has(coalition.itemId)) break;
        const before = this.coalitions.get(coalition.itemId);
        this.coalitions.set(coalition.itemId, coalition);
        change.itemId = coalition.itemId;
        change.scopes.add('coalition');
        change.announce = describeCoalitionChange(event.type, who, this.items.get(coalition.itemId), before, coalition);
        break;
      }
      case EventTypes.CoalitionSignaturesWithdrawn:
      case EventTypes.CoalitionReopened:
      case EventTypes.CoalitionRestored:
      case EventTypes.CoalitionArchived:
      case EventTypes.GuestsPositions:
        applyTrustEvent(this, event, change, who);
        break;
      case EventTypes.FootnotesChanged: {
        if (!this.items.has(p.itemId)) break;
        if (p.footnotes?.length) this.footnotes.set(p.itemId, p.footnotes);
        else this.footnotes.delete(p.itemId);
        change.itemId = p.itemId;
        change.scopes.add('footnotes');
        break;
      }
      case EventTypes.TextEdited: {
        const shared = this.text(p.documentId);
        change.documentId = p.documentId;
        change.text = shared.receive(p);
        change.author = p.author;
        // An edit with a note is no one typing: an accepted proposal, which its own event announces.
        change.note = p.note ?? null;
        change.scopes.add('text');
        // The editor redraws the proposals with the text ('text' scope); their list changes only with proposal events.
        if (change.text.kind === 'ack' || change.text.kind === 'remote') {
          this.proposals.advance(p.documentId, p.revision, TextOperation.fromJSON(p.operation));
        }
        break;
      }
      case EventTypes.ProposalTabled:
      case EventTypes.ProposalSupported:
      case EventTypes.ProposalAccepted:
      case EventTypes.ProposalRejected:
      case EventTypes.ProposalWithdrawn:
      case EventTypes.ProposalLapsed:
      case EventTypes.ProposalReassessed: {
        if (!this.items.has(p.itemId)) break;
        const before = this.proposals.upsert(p);
        change.itemId = p.itemId;
        change.scopes.add('proposals');
        change.announce = describeProposalChange(event.type, who, p, before);
        if (event.type === EventTypes.ProposalLapsed) {
          // Agreeing an item lapses all its open proposals at once: said in one sentence, not one after another.
          const reason = lapseReason(p);
          change.join = {
            key: `lapsed:${p.itemId}:${reason}`,
            part: `${p.number} of ${p.proposer}`,
            whole: (parts) => `Proposals ${names(parts)} lapsed: ${reason}.`,
          };
        }
        break;
      }
      case EventTypes.ParticipantAdded:
      case EventTypes.ParticipantUpdated: {
        const before = this.participants.get(p.delegationCode);
        this.participants.set(p.delegationCode, p);
        change.scopes.add('participants').add('positions');
        change.announce = describeParticipantChange(event.type, who, p, before);
        break;
      }
      case EventTypes.ParticipantRemoved: {
        const before = this.participants.get(p.delegationCode);
        this.participants.delete(p.delegationCode);
        change.scopes.add('participants').add('positions');
        change.announce = `${who} removed ${before?.name ?? p.delegationCode} from the meeting.`;
        break;
      }
      case EventTypes.SilenceOpened:
      case EventTypes.SilenceBroken:
      case EventTypes.SilenceCancelled:
      case EventTypes.SilenceConcluded:
        this.silences.set(p.itemId, newerSilence(this.silences.get(p.itemId), p));
        change.scopes.add('silence').add('item');
        change.announce = describeSilence(event.type, this.items.get(p.itemId), p);
        break;
      case EventTypes.VersionSaved:
        change.scopes.add('versions');
        change.announce = own ? null : `${who} saved ${p.label} of item ${roman(this.items.get(p.itemId)?.number ?? 0)}: ${p.name}.`;
        break;
      case EventTypes.MembershipGranted:
      case EventTypes.MembershipRevoked:
        // Who may be named as a copy's recipient (the documents panel) follows the seats.
        change.scopes.add('memberships');
        break;
      default:
        // Types added later: nothing on the page depends on them yet.
        break;
    }
    return change;
  }

  #removeItem(itemId) {
    this.items.delete(itemId);
    this.tallies.delete(itemId);
    this.coalitions.delete(itemId);
    this.footnotes.delete(itemId);
    this.proposals.removeItem(itemId);
    for (const key of [...this.positions.keys()]) {
      if (key.startsWith(`${itemId}:`)) this.positions.delete(key);
    }
    for (const id of [...this.texts.keys()]) {
      if (DocumentIds.parse(id)?.itemId === itemId) this.texts.delete(id);
    }
  }
}

function describeSilence(type, item, silence) {
  const n = item ? roman(item.number) : '';
  switch (type) {
    case EventTypes.SilenceOpened:
      return `Item ${n} is under a silence procedure until ${instantText(silence.deadline)}.`;
    case EventTypes.SilenceBroken:
      return `${silence.break?.delegation ?? 'A delegation'} broke silence on item ${n}: ${silence.break?.reason ?? ''}`;
    case EventTypes.SilenceCancelled:
      return `The silence procedure on item ${n} was cancelled.`;
    default:
      return `Nobody broke silence: item ${n} is agreed.`;
  }
}

function isGuest(state) {
  const code = state.you?.delegationCode;
  return code != null && state.participants.get(code)?.kind === 'guest' && state.you.role !== 'chair';
}

function describeCoalitionChange(type, who, item, before, after) {
  const n = roman(item.number);
  switch (type) {
    case EventTypes.CoalitionCreated:
      return `${who} made item ${n} a coalition statement. ${after.wording}.`;
    case EventTypes.CoalitionLocked:
      return `${who} closed the list of signatories of item ${n}.`;
    case EventTypes.CoalitionUnlocked:
      return `${who} reopened the list of signatories of item ${n}.`;
    default: {
      const { joined, left } = signatoryChanges(before, after);
      const parts = [];
      if (joined.length) parts.push(`${names(joined.map((s) => s.name))} signed the statement of item ${n}`);
      if (left.length) parts.push(`${names(left.map((s) => s.name))} withdrew from the statement of item ${n}`);
      return parts.length ? `${parts.join('; ')}. ${after.wording}.` : null;
    }
  }
}

/** Who takes part changed: a delegation added, its voting rights suspended or restored, its head of delegation named. */
function describeParticipantChange(type, who, p, before) {
  if (type === EventTypes.ParticipantAdded || !before) return `${who} added ${p.name} to the meeting.`;
  const said = [];
  if (p.votingRightsSuspended !== before.votingRightsSuspended) {
    said.push(p.votingRightsSuspended
      ? `${who} suspended the voting rights of ${p.name} (Art. 7 TEU).`
      : `${who} restored the voting rights of ${p.name}.`);
  }
  if ((p.headOfDelegation ?? '') !== (before.headOfDelegation ?? '')) {
    said.push(p.headOfDelegation ? `${p.name}'s head of delegation is now ${p.headOfDelegation}.` : `${p.name} has no head of delegation named now.`);
  }
  return said.length ? said.join(' ') : null;
}

function describeProposalChange(type, who, p, before) {
  const name = proposalName(p);
  switch (type) {
    case EventTypes.ProposalTabled:
      return `${p.proposer} tabled proposal ${p.number}.`;
    case EventTypes.ProposalAccepted:
      return `${who} accepted proposal ${p.number} of ${p.proposer}.`;
    case EventTypes.ProposalRejected:
      return `${who} rejected proposal ${p.number} of ${p.proposer}${p.decision?.reason ? `: ${p.decision.reason}` : '.'}`;
    case EventTypes.ProposalWithdrawn:
      return `${p.proposer} withdrew proposal ${p.number}${p.decision?.reason ? `: ${p.decision.reason}` : '.'}`;
    case EventTypes.ProposalLapsed:
      return `${name} lapsed: ${lapseReason(p)}.`;
    default: {
      const was = new Set([...(before?.backers ?? []), ...(before?.objectors ?? [])]);
      const now = new Set([...p.backers, ...p.objectors]);
      return was.size === now.size && [...now].every((c) => was.has(c)) && before?.backers.length === p.backers.length
        ? null
        : `${name}: ${p.backers.length} backing, ${p.objectors.length} objecting.`;
    }
  }
}

function describeItemChange(type, who, item, before) {
  const n = roman(item.number);
  switch (type) {
    case EventTypes.ItemDrafting:
      return item.draftingMode === 'presidencyPen'
        ? `The Presidency holds the pen on item ${n}: delegations table proposals.`
        : `Item ${n} is open for co-editing again.`;
    case EventTypes.ItemLocked:
      return `${who} locked item ${n}${item.lock?.reason ? `: ${item.lock.reason}` : ''}. Its texts are read-only.`;
    case EventTypes.ItemUnlocked:
      return `${who} unlocked item ${n}.`;
    case EventTypes.ItemStatus:
      return `Item ${n} is now ${labelOf(ItemStatusLabels, item.status).text.toLowerCase()}.`;
    default:
      return before && before.title !== item.title ? `${who} renamed item ${n}: ${item.title}.` : `${who} edited item ${n}.`;
  }
}
