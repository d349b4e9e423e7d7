// The room: the agenda on the left, the current item in the middle, the tally, export and who is here on
// the right (stacked on narrow screens). It listens to the session and redraws only what an event touched.

import { DocumentIds, EventTypes } from '../hub-names.js';
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { roman } from '../labels.js';
import { ConnectionStatus, seatOf } from '../room-session.js';
import { AgendaView } from './agenda.js';
import { ExportPanel } from './export-panel.js';
import { InvitationsPanel } from './invitations-panel.js';
import { SeatsPanel } from './seats-panel.js';
import { assignColours } from './editor.js';
import { ItemPanel, noItem } from './item-panel.js';
import { keptTexts } from '../kept-texts.js';
import { KeptTextsPanel, REMOVED_ITEMS } from './kept-texts-panel.js';
import { MeetingStatusPanel } from './meeting-status.js';
import { PresencePanel } from './presence.js';
import { TallyPanel } from './tally-panel.js';

const BACK_BANNER_MS = 4000;

export class RoomView {
  #main;
  #session;
  #options;
  #agenda = null;
  #item = null;
  #itemSlot = null;
  #tallyPanel = null;
  #exportPanel = null;
  #invitations = null;
  #seats = null;
  #presence = null;
  #meetingStatus = null;
  #removedKept = null;
  #banner;
  #bannerTimer = null;
  #wantedItem;
  #users = [];
  #offs = [];
  /** Left: nothing of this room is drawn any more, whatever arrives late. */
  #disposed = false;
  /** The seat the room was laid out for (seatOf). */
  #seat = null;

  /**
   * @param {HTMLElement} main
   * @param {import('../room-session.js').RoomSession} session
   * @param {{announcer: import('../announcer.js').Announcer, itemId: number | null,
   *          onHeader: (state: object) => void, onSignedOut: (why: string | null) => void, onFailed?: () => void}} options
   */
  constructor(main, session, options) {
    this.#main = main;
    this.#session = session;
    this.#options = options;
    this.#wantedItem = options.itemId;
    this.#banner = document.getElementById('banner');
  }

  async open() {
    const session = this.#session;
    replaceChildren(this.#main, h('p', { class: 'loading', role: 'status' }, 'Joining the meeting…'));
    this.#offs.push(session.on('status', (status) => this.#onStatus(status)));
    this.#offs.push(session.on('signed-out', (why) => this.#options.onSignedOut(why)));
    this.#offs.push(session.on('too-many-connections', (words) => this.#onTooManyConnections(words)));
    let state;
    try {
      state = await session.open();
    } catch (error) {
      if (this.#disposed) return;
      replaceChildren(this.#main, h('p', { class: 'fatal', role: 'alert' }, `Could not open the meeting: ${error.message}`));
      // No room: its connection goes (it held one of the person's places), and the top bar no longer says "Connecting…".
      session.close().catch(() => {});
      this.#options.onFailed?.();
      return;
    }
    // Left while it opened (for the person's meetings, say): the page shows something else now, which stays.
    if (this.#disposed) return;
    this.#options.onHeader(state);
    nameTheTab(state);
    this.#build(state);

    this.#offs.push(
      session.on('change', (change) => this.#onChange(change)),
      session.on('reload', () => this.#onReload()),
      // Another inviter sent or withdrew an invitation: the list shows it, and offers no withdrawal of one withdrawn.
      session.on('invitations', () => { this.#invitations?.refresh().catch(() => {}); }),
      session.on('presence', ({ users, gone }) => this.#onPresence(users, gone)),
      session.on('caret', (caret) => this.#item?.editorFor(caret.documentId)?.showCaret(caret)),
      session.on('texts-orphaned', (texts) => {
        for (const { documentId, text, number, title, cause } of texts) {
          const item = number != null ? `Item ${roman(number)}${title ? `, “${title}”,` : ''}` : 'Its item';
          const went = cause === 'removed' ? 'was removed from the agenda'
            : cause === 'unshared' ? 'is no longer shared with your delegation' : 'is no longer on your agenda';
          keptTexts.add(session.state.you.userId, session.meetingId, REMOVED_ITEMS, { documentId, text, reason: `${item} ${went} before this was saved.` });
        }
        this.#options.announcer.say('An item you were typing in is no longer on your agenda. What you typed there that was not saved is kept at the top of the right-hand column: copy it or keep it for later.');
      }),
      session.on('text-refused', ({ documentId, message, operation, lost }) => {
        // What was refused is kept and offered back on the item (kept-texts-panel.js), never just dropped.
        const doc = DocumentIds.parse(documentId);
        if (lost && doc) keptTexts.add(session.state.you.userId, session.meetingId, doc.itemId, { documentId, text: lost, reason: message });
        this.#item?.editorFor(documentId)?.refused(message, operation);
        this.#options.announcer.say(`Your edit was not saved: ${message}${lost ? ' What you typed is kept on the item: copy it or keep it for later.' : ''}`);
      }),
    );
    // Who is here may have come while the room loaded, with nobody listening yet: a delta comes only when someone moves.
    this.#onPresence(session.people, new Set());
    this.#agenda.update();
    this.select(this.#wantedItem);
    // Opening a meeting puts the keyboard where the work is: the item's heading (or the agenda when there is none).
    const active = document.activeElement;
    if (!active || active === document.body || active === this.#main) {
      if (this.#item) this.#item.focusTitle(); else this.#agenda.element.querySelector('a, button')?.focus();
    }
  }

  /**
   * Lays the room out for the seat the page has: which controls and panels it gets (the chair's, the exporters', the
   * inviters') follow from `you`, so a reload that brings another seat lays it out again.
   */
  #build(state) {
    const session = this.#session;
    this.#seat = seatOf(state.you);
    this.#agenda = new AgendaView(session);
    this.#agenda.setPresence(this.#users);
    this.#tallyPanel = new TallyPanel();
    this.#presence = new PresencePanel(session);
    this.#meetingStatus = new MeetingStatusPanel(session);
    this.#itemSlot = h('div', { class: 'item-slot' });
    this.#exportPanel = state.you.canExport ? new ExportPanel(session) : null;
    this.#invitations = state.you.canInvite ? new InvitationsPanel(session) : null;
    this.#seats = state.you.canManageMemberships ? new SeatsPanel(session) : null;
    // Typing left in an item that went from the agenda (or from this delegation's view) is offered back here.
    this.#removedKept?.dispose();
    this.#removedKept = new KeptTextsPanel(session, REMOVED_ITEMS);
    const rail = h('aside', { class: 'rail', 'aria-label': 'Tally, export, people, seats and invitations' },
      this.#meetingStatus.element,
      this.#removedKept.element,
      this.#tallyPanel.element,
      this.#exportPanel?.element,
      this.#presence.element,
      this.#seats?.element,
      this.#invitations?.element);
    replaceChildren(this.#main, h('div', { class: 'room' }, this.#agenda.element, this.#itemSlot, rail));
  }

  /** Shows an item (null: the first on the agenda). */
  select(itemId) {
    const state = this.#session.state;
    if (!state || !this.#itemSlot) {
      this.#wantedItem = itemId;
      return;
    }
    const items = state.agenda();
    if (itemId != null && !state.items.has(itemId)) {
      // An address naming an item this user may not see (or that is gone) says so, rather than show another item.
      this.#item?.dispose();
      this.#item = null;
      replaceChildren(this.#itemSlot, h('article', { class: 'item empty panel item-unavailable', role: 'alert' },
        h('h2', { tabindex: '-1' }, 'This item is not available to you'),
        h('p', {}, 'The address names an agenda item that is not shared with your delegation, or no longer on the agenda.'),
        items[0] ? h('p', {}, h('a', { href: `#/meetings/${state.meetingId}/items/${items[0].id}` }, `Go to item ${roman(items[0].number)}: ${items[0].title}`)) : null));
      this.#agenda.setSelected(null);
      this.#session.focus(null);
      this.#drawTally();
      return;
    }
    const item = state.items.get(itemId) ?? items[0];
    if (this.#item && item && this.#item.itemId === item.id) return;
    const hadFocusInAgenda = this.#agenda.element.contains(document.activeElement);
    this.#item?.dispose();
    this.#item = item ? new ItemPanel(this.#session, item.id) : null;
    replaceChildren(this.#itemSlot, this.#item ? this.#item.element : noItem());
    this.#agenda.setSelected(item?.id ?? null);
    this.#session.focus(item?.id ?? null);
    this.#drawTally();
    this.#keepCarets();
    if (item && itemId !== null && !hadFocusInAgenda) this.#item.focusTitle();
  }

  dispose() {
    this.#disposed = true;
    for (const off of this.#offs) off();
    clearTimeout(this.#bannerTimer);
    this.#banner.hidden = true;
    this.#item?.dispose();
    this.#removedKept?.dispose();
  }

  #onChange(change) {
    const state = this.#session.state;
    const current = this.#item?.itemId ?? null;
    const announcer = this.#options.announcer;
    if (change.scopes.has('meeting')) {
      this.#options.onHeader(state);
      nameTheTab(state);
      this.#meetingStatus?.update();
    }
    if (change.scopes.has('agenda')) this.#agenda.update();
    if (change.scopes.has('item') || change.scopes.has('participants')) {
      if (current !== null && !state.items.has(current)) this.#replaceGoneItem();
      else this.#item?.update();
    }
    if (change.scopes.has('participants')) this.#invitations?.updateDelegations();
    // A delegation removed withdraws its open invitations in the same change, with no InvitationsChanged of its own.
    if (change.type === EventTypes.ParticipantRemoved) this.#invitations?.refresh().catch(() => {});
    if (change.scopes.has('positions') && (change.itemId === current || change.itemId === null)) this.#item?.updatePositions();
    if (change.scopes.has('tally')) {
      this.#agenda.update();
      if (change.itemId === current) this.#drawTally();
    }
    if (change.scopes.has('coalition') && change.itemId === current) this.#item?.updateCoalition();
    if (change.scopes.has('footnotes') && change.itemId === current) this.#item?.updateFootnotes();
    if (change.scopes.has('proposals') && change.itemId === current) this.#item?.updateProposals();
    if (change.scopes.has('versions') && change.itemId === current) this.#item?.updateVersions();
    if (change.scopes.has('agenda') || change.scopes.has('coalition')) this.#exportPanel?.update();
    if (change.scopes.has('memberships')) {
      this.#exportPanel?.loadRecipients();
      // A seat taken is an invitation accepted: the inviter's list must not go on offering to withdraw it.
      this.#invitations?.refresh().catch(() => {});
      this.#seats?.refresh().catch(() => {});
    }
    if (change.scopes.has('text')) {
      const doc = DocumentIds.parse(change.documentId);
      if (doc && doc.itemId === current) this.#item.onText(change);
      else if (doc?.kind === 'draft') this.#item?.renumber();
      // The person's own typing in another window or device is not news to them.
      if (change.text?.kind === 'remote' && doc && !change.own) {
        const item = state.items.get(doc.itemId);
        const what = doc.kind === 'draft'
          ? `the draft of item ${item ? roman(item.number) : ''}`
          : `the position of ${state.participants.get(doc.code)?.name ?? doc.code}`;
        if (doc.itemId === current && !change.note) announcer.typing(change.author ?? 'Someone', what);
      }
    }
    if (change.announce && (!change.own || change.heardByAll)) announcer.say(change.announce, change.join);
  }

  #onReload() {
    const state = this.#session.state;
    this.#options.onHeader(state);
    nameTheTab(state);
    if (seatOf(state.you) !== this.#seat) {
      // Another seat (a chair made secretariat, say): the controls of the old one must go, and the new one's come.
      const current = this.#item?.itemId ?? null;
      this.#item?.dispose();
      this.#item = null;
      this.#build(state);
      this.#agenda.update();
      this.select(current !== null && state.items.has(current) ? current : null);
      this.#presence.render(this.#users);
      return;
    }
    this.#agenda.update();
    this.#exportPanel?.update();
    this.#meetingStatus.update();
    const current = this.#item?.itemId;
    if (current !== undefined && state.items.has(current)) {
      this.#item.update();
      // The versions list is not in the room: versions saved among the events a reload skipped are read again.
      this.#item.updateVersions();
      for (const editor of this.#item.editors) editor.resync();
    } else {
      this.#replaceGoneItem();
    }
    this.#drawTally();
  }

  /**
   * The item shown went from the page (deleted, or no longer shared): the first item takes its place. A keyboard user
   * who was working in it goes to that item's heading, rather than to the top of the page with the editor that held
   * the focus.
   */
  #replaceGoneItem() {
    const focusWasHere = this.#itemSlot.contains(document.activeElement);
    this.#item?.dispose();
    this.#item = null;
    this.select(null);
    if (focusWasHere && !this.#itemSlot.contains(document.activeElement)) {
      if (this.#item) this.#item.focusTitle(); else this.#agenda.element.querySelector('a, button')?.focus();
    }
  }

  #onPresence(users, gone) {
    this.#users = users;
    assignColours(users);
    this.#agenda?.setPresence(users);
    this.#presence?.render(users);
    this.#keepCarets(gone);
  }

  /** Carets stay only for people still on this item, and go with a connection that closed or turned away. */
  #keepCarets(gone = new Set()) {
    if (!this.#item) return;
    const here = new Set(this.#users.filter((u) => u.itemIds.includes(this.#item.itemId)).map((u) => u.userId));
    for (const editor of this.#item.editors) editor.keepCarets((caret) => here.has(caret.userId) && !gone.has(caret.id));
  }

  #drawTally() {
    const itemId = this.#item?.itemId;
    const state = this.#session.state;
    this.#tallyPanel?.render(state.items.get(itemId), state.tallies.get(itemId), (code) => state.participants.get(code)?.name ?? code);
  }

  /** Turned away for too many open connections: the banner says so until the page gets in (a status hides it). */
  #onTooManyConnections(words) {
    const banner = this.#banner;
    clearTimeout(this.#bannerTimer);
    banner.className = 'banner tone-warn';
    replaceChildren(banner, icon('alert'), h('span', {}, `${words} This page connects by itself once one is closed.`));
    banner.hidden = false;
  }

  #onStatus(status) {
    const banner = this.#banner;
    clearTimeout(this.#bannerTimer);
    if (status === ConnectionStatus.Reconnecting || status === ConnectionStatus.Syncing) {
      banner.className = 'banner tone-warn';
      replaceChildren(banner, icon(status === ConnectionStatus.Syncing ? 'refresh' : 'offline'), h('span', {},
        status === ConnectionStatus.Syncing
          ? 'Connected again. Catching up with what happened meanwhile…'
          : 'Connection lost. Reconnecting… Keep working: what you type is kept and sent when the connection is back.'));
      banner.hidden = false;
    } else if (status === ConnectionStatus.Back) {
      banner.className = 'banner tone-good';
      replaceChildren(banner, icon('check'), h('span', {}, 'Back online and up to date.'));
      banner.hidden = false;
      this.#bannerTimer = setTimeout(() => { banner.hidden = true; }, BACK_BANNER_MS);
    } else {
      banner.hidden = true;
    }
    // Who is in the room is as of the drop until the catch-up is answered.
    this.#presence?.setOffline(status === ConnectionStatus.Reconnecting || status === ConnectionStatus.Syncing);
    // The editors say "offline, kept" or "saved": redraw their status line.
    for (const editor of this.#item?.editors ?? []) editor.resync();
  }
}

/** The tab is named by the meeting's document number, which the chair may change while the room is open. */
function nameTheTab(state) {
  document.title = `${state.meeting.documentNumber} · BriefingRoom`;
}
