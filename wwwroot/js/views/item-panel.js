import { DocumentIds } from '../hub-names.js';
import { h, replaceChildren } from '../dom.js';
import { numberingOffsets } from '../paragraphs.js';
import { icon } from '../icons.js';
import { ItemStatusLabels, RuleLabels, labelOf, roman, textOf } from '../labels.js';
import { ChairControls } from './chair-controls.js';
import { chip } from './chips.js';
import { CoalitionPanel } from './coalition-panel.js';
import { CoEditor } from './editor.js';
import { FootnoteList } from './footnotes.js';
import { KeptTextsPanel } from './kept-texts-panel.js';
import { PositionsGrid } from './positions.js';
import { ProposalsPanel } from './proposals-panel.js';
import { SilencePanel } from './silence-panel.js';
import { VersionsPanel } from './versions-panel.js';
import { draftFrozenReason } from '../statement.js';

/** Where the room goes to one column (app.css): the draft first. */
const NARROW = '(max-width: 820px)';

/** One agenda item: what it is, its draft conclusions (co-edited), the chair's controls, its coalition statement if any, and the positions. */
export class ItemPanel {
  #session;
  #itemId;
  #header;
  #eyebrow;
  #title;
  #chips;
  #description;
  #draft;
  #chair = null;
  #coalition;
  #footnotes;
  #positions;
  #proposals;
  #versions;
  #main;
  #draftSection;
  #narrow;
  #silence;
  #kept;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const state = session.state;
    const you = state.you;
    // Built once and updated in place: the heading holds the keyboard focus when an item opens, and an element taken out
    // of the page and put back loses it (any change to any item redraws the header).
    this.#eyebrow = h('p', { class: 'eyebrow' });
    this.#title = h('h2', { id: 'item-title', tabindex: '-1' });
    this.#chips = h('div', { class: 'item-chips' });
    this.#description = h('p', { class: 'item-description', hidden: true });
    this.#header = h('header', { class: 'item-header' }, this.#eyebrow, this.#title, this.#chips, this.#description);
    this.#draft = new CoEditor(session, DocumentIds.draft(itemId), {
      label: 'Draft conclusions',
      numbered: true,
      canEdit: you.canEditDrafts,
      cannotEditReason: 'Guests and observers read the draft conclusions; delegations of member states, the chair and the secretariat edit them.',
      className: 'editor-draft',
    });
    if (you.canLock || you.canManageAgenda) this.#chair = new ChairControls(session, itemId);
    this.#coalition = new CoalitionPanel(session, itemId);
    this.#footnotes = new FootnoteList(session, itemId);
    this.#positions = new PositionsGrid(session, itemId);
    this.#proposals = new ProposalsPanel(session, itemId, this.#draft);
    this.#versions = new VersionsPanel(session, itemId);
    this.#silence = new SilencePanel(session, itemId, () => this.update());
    this.#kept = new KeptTextsPanel(session, itemId);
    this.#draftSection = h('section', { class: 'draft', 'aria-labelledby': 'draft-title' },
          h('div', { class: 'section-head' },
            h('h3', { id: 'draft-title' }, 'Draft conclusions'),
            h('span', { class: 'muted small' }, 'Co-edited live. Others’ cursors show with their names; the margin numbers the paragraphs as the conclusions will.')),
          h('div', { class: 'draft-and-proposals' }, this.#draft.element, this.#proposals.element),
          this.#footnotes.element);
    this.#main = h('div', { class: 'panel item-main' },
      this.#header,
      this.#kept.element,
      this.#chair?.element,
      this.#coalition.element,
      this.#silence.element,
      this.#draftSection,
      this.#versions.element);
    this.element = h('article', { class: 'item', 'aria-labelledby': 'item-title' }, this.#main, this.#positions.element);
    this.#narrow = globalThis.matchMedia?.(NARROW) ?? null;
    this.#narrow?.addEventListener('change', this.#onWidth);
    this.update();
  }

  #onWidth = () => this.#placeForWidth();

  /**
   * On tablets and phones the draft comes first, the chair's controls, the coalition box and the silence panel's
   * controls after it (a running procedure's banner stays above). They are moved in the page, not only on the screen,
   * so that the keyboard and a screen reader meet them in the order they are seen.
   */
  #placeForWidth() {
    const silenceBelow = !this.#silence.element.querySelector('.silence-banner');
    const movable = [this.#chair?.element, this.#coalition.element, this.#silence.element].filter(Boolean);
    const below = this.#narrow?.matches ? movable.filter((el) => el !== this.#silence.element || silenceBelow) : [];
    const above = movable.filter((el) => !below.includes(el));
    const focused = movable.find((el) => el.contains(document.activeElement)) ? document.activeElement : null;
    const place = (elements, before) => {
      for (const el of elements.toReversed()) {
        if (el.nextElementSibling !== before) this.#main.insertBefore(el, before);
        before = el;
      }
    };
    place(above, this.#draftSection);
    place(below, this.#versions.element);
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  }

  get itemId() { return this.#itemId; }
  get editors() { return [this.#draft, ...this.#positions.editors]; }

  update() {
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    if (!item) return;
    const lock = item.lock;
    replaceChildren(this.#eyebrow, `Item ${roman(item.number)}`, h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), textOf(RuleLabels, item.rule));
    if (this.#title.textContent !== item.title) this.#title.textContent = item.title;
    replaceChildren(this.#chips,
      chip(labelOf(ItemStatusLabels, item.status)),
      lock ? chip({ text: `Locked by ${lock.by}${lock.reason ? `: ${lock.reason}` : ''}`, icon: 'lock', tone: 'bad' }, { className: 'lock-chip' }) : null,
      item.guests.length > 0 ? chip({ text: `With ${item.guests.map((c) => state.participants.get(c)?.name ?? c).join(', ')}`, icon: 'group', tone: 'neutral' }) : null);
    this.#description.textContent = item.description ?? '';
    this.#description.hidden = !item.description;
    this.#chair?.update();
    this.#coalition.update();
    this.#footnotes.update();
    this.#silence.update();
    this.#placeForWidth();
    this.#draft.setFrozen(draftFrozenReason(state, this.#itemId) ?? penReason(item, state.you));
    this.#proposals.update();
    this.renumber();
    this.#positions.update();
  }

  /**
   * The draft's paragraph numbers continue from the texts the conclusions print before it, so they move when
   * an item's status, the agenda order or a printed text changes.
   */
  renumber() {
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    if (!item) return;
    const items = [...state.items.values()].map((i) => ({
      id: i.id, number: i.number, status: i.status, text: state.texts.get(DocumentIds.draft(i.id))?.text ?? '',
    }));
    const numbering = numberingOffsets(items).get(this.#itemId);
    // A guest does not see every item: when some come before this one, their paragraphs cannot be counted.
    const seenBefore = items.filter((i) => i.number < item.number).length;
    this.#draft.setNumbering({ offset: numbering?.offset ?? 0, exact: seenBefore === item.number - 1 });
  }

  updateCoalition() {
    this.#coalition.update();
  }

  updatePositions() {
    this.#positions.update();
  }

  updateProposals() {
    this.#proposals.update();
  }

  updateFootnotes() {
    this.#footnotes.update();
  }

  updateVersions() {
    this.#versions.update();
  }

  /** A text of this item changed on the server (or our edit was acknowledged). */
  onText(change) {
    const editor = this.editors.find((e) => e.documentId === change.documentId);
    if (editor) editor.onTextChange(change.text);
    else this.#positions.onText(change.documentId);
    if (editor === this.#draft) this.#proposals.refreshMarks();
  }

  editorFor(documentId) {
    return this.editors.find((e) => e.documentId === documentId) ?? null;
  }

  focusTitle() {
    this.element.querySelector('#item-title')?.focus({ preventScroll: false });
  }

  dispose() {
    this.#narrow?.removeEventListener('change', this.#onWidth);
    this.#versions.dispose();
    this.#silence.dispose();
    this.#kept.dispose();
    this.#draft.dispose();
    this.#positions.dispose();
  }
}

/** Under the Presidency pen a delegation reads the draft and proposes; it does not type into it. */
function penReason(item, you) {
  const holdsPen = you.role === 'chair' || you.role === 'secretariat' || you.isAdmin === true;
  return item.draftingMode === 'presidencyPen' && !holdsPen
    ? 'The Presidency holds the pen: select words and use “Propose a change”.'
    : null;
}

export function noItem() {
  return h('article', { class: 'item empty panel' }, h('p', {}, icon('info'), ' There are no items on the agenda you can see.'));
}
