// Every name the page shares with the server's hub (src/BriefingRoom/Realtime/BriefingHub.cs and
// IBriefingClient.cs) and every meeting event type, in one place: no other module spells them.

export const HUB_PATH = '/hubs/briefing';

/** Methods the page invokes on the hub. */
export const HubMethods = Object.freeze({
  JoinMeeting: 'JoinMeeting',
  LeaveMeeting: 'LeaveMeeting',
  /** The page is done with the connection: it stops counting toward the person's limit, and the server closes it. */
  CloseConnection: 'CloseConnection',
  GetEventsSince: 'GetEventsSince',
  SubmitOperation: 'SubmitOperation',
  GetTextHistory: 'GetTextHistory',
  SetPosition: 'SetPosition',
  Focus: 'Focus',
  MoveCaret: 'MoveCaret',
  /** Drafting proposals and who holds the pen (Realtime/BriefingHub.Proposals.cs); the page uses the REST twins (proposals.js). */
  SetDraftingMode: 'SetDraftingMode',
  TableProposal: 'TableProposal',
  SupportProposal: 'SupportProposal',
  AcceptProposal: 'AcceptProposal',
  RejectProposal: 'RejectProposal',
  WithdrawProposal: 'WithdrawProposal',
});

/** Messages the hub sends to the page. */
export const HubEvents = Object.freeze({
  /** {meetingId, from, upTo, events}: the events of one group commit (see event-sequencer.js). */
  MeetingEvents: 'MeetingEvents',
  PresenceChanged: 'PresenceChanged',
  /** An array of carets that moved, the latest of each connection. */
  CaretsMoved: 'CaretsMoved',
  /** (meetingId): this connection's seat was revoked or changed, and it has left the room's groups: join again. */
  SeatChanged: 'SeatChanged',
  /** (): the person's list of meetings changed (a seat, a meeting's details, a meeting created): read it again. */
  MeetingsChanged: 'MeetingsChanged',
  /** (meetingId): an invitation to the meeting was sent or withdrawn (told to its inviters only): read the list again. */
  InvitationsChanged: 'InvitationsChanged',
});

/** The `type` of a MeetingEvent. Types not listed here are ignored, so the server may add more. */
export const EventTypes = Object.freeze({
  MeetingCreated: 'meeting.created',
  MeetingUpdated: 'meeting.updated',
  ItemCreated: 'item.created',
  ItemUpdated: 'item.updated',
  ItemLocked: 'item.locked',
  ItemUnlocked: 'item.unlocked',
  ItemStatus: 'item.status',
  /** The item (AgendaItemDto) after the chair chose who holds the pen (draftingMode: open | presidencyPen). */
  ItemDrafting: 'item.drafting',
  ItemDeleted: 'item.deleted',
  /** {itemId}: the item is no longer visible to the guest delegations the event reaches, and nothing more about it. */
  ItemHidden: 'item.hidden',
  AgendaReordered: 'agenda.reordered',
  PositionChanged: 'position.changed',
  /** {itemId, tally}: an item's whole new tally, right after the change that moved it. */
  TallyChanged: 'tally.changed',
  /** Each coalition.* event carries the whole coalition (CoalitionDto). */
  CoalitionCreated: 'coalition.created',
  CoalitionJoined: 'coalition.joined',
  CoalitionLeft: 'coalition.left',
  CoalitionLocked: 'coalition.locked',
  CoalitionUnlocked: 'coalition.unlocked',
  /** {itemId, reason, by, at, withdrawn: [signatory], coalition}: the chair opened the statement's text for a change. */
  CoalitionSignaturesWithdrawn: 'coalition.signaturesWithdrawn',
  /** The whole coalition: the revision ended, the text is frozen again and open for signature. */
  CoalitionReopened: 'coalition.reopened',
  /** {itemId, coalition, notRestored, message}: the chair restored an archived coalition. */
  CoalitionRestored: 'coalition.restored',
  /** An archived coalition (ArchivedCoalitionDto): the item left the coalition state, the coalition is kept. */
  CoalitionArchived: 'coalition.archived',
  /** {itemId, shared, by}: the chair opened or closed the item's member positions to its guests. */
  GuestsPositions: 'guests.positions',
  /** {itemId, footnotes: [{paragraph, text}]}: an item's reservations worded as the conclusions print them. */
  FootnotesChanged: 'footnotes.changed',
  /** A copy of the conclusions or of a statement was issued (hashes, recipient, who exported it). */
  ConclusionsExported: 'conclusions.exported',
  TextEdited: 'text.edited',
  /** Each proposal.* event carries the whole proposal (ProposalDto), its span at the draft's revision then. */
  ProposalTabled: 'proposal.tabled',
  ProposalSupported: 'proposal.supported',
  ProposalAccepted: 'proposal.accepted',
  ProposalRejected: 'proposal.rejected',
  ProposalWithdrawn: 'proposal.withdrawn',
  /** Still open when its item was agreed: it fell, in the name of whoever agreed it (the chair, or the silence procedure). */
  ProposalLapsed: 'proposal.lapsed',
  /** The item's rule, the voting body or the population table changed: the open proposal with whether its backers alone now carry it. */
  ProposalReassessed: 'proposal.reassessed',
  /** A named version of an item's draft (REV n) was saved: ItemVersionDto, without its text. */
  VersionSaved: 'version.saved',
  /** Each silence.* event carries the whole procedure (SilenceDto); members only, guests take no part. */
  SilenceOpened: 'silence.opened',
  SilenceBroken: 'silence.broken',
  SilenceCancelled: 'silence.cancelled',
  /** Nobody broke silence by the deadline: the item is agreed (an item.status event follows). */
  SilenceConcluded: 'silence.concluded',
  ParticipantAdded: 'participant.added',
  ParticipantUpdated: 'participant.updated',
  ParticipantRemoved: 'participant.removed',
  MembershipGranted: 'membership.granted',
  MembershipRevoked: 'membership.revoked',
});

/** Names of co-edited texts, as DocumentId in Drafting/DocumentId.cs writes them. */
export const DocumentIds = Object.freeze({
  draft: (itemId) => `draft:${itemId}`,
  position: (itemId, code) => `position:${itemId}:${code}`,
  /** @returns {{kind: 'draft'|'position', itemId: number, code: string|null} | null} */
  parse(id) {
    const parts = String(id).split(':');
    const itemId = Number(parts[1]);
    if (!Number.isInteger(itemId) || itemId <= 0) return null;
    if (parts[0] === 'draft' && parts.length === 2) return { kind: 'draft', itemId, code: null };
    if (parts[0] === 'position' && parts.length === 3 && parts[2]) return { kind: 'position', itemId, code: parts[2] };
    return null;
  },
});
