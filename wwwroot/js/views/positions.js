// The positions grid of one item: a row per delegation taking part, with its stance, reservation and
// position text. A delegate edits its own row (stance by PUT with expectedVersion; text co-edited as
// "position:{item}:{CODE}"); the chair and the secretariat record any delegation's stance in a tour de table.

import { Api, ApiError } from '../api.js';
import { DocumentIds } from '../hub-names.js';
import { h, reconcile, replaceChildren, timeOf, uid } from '../dom.js';
import { icon } from '../icons.js';
import { ReservationLabels, StanceLabels, labelOf } from '../labels.js';
import { chip } from './chips.js';
import { CoEditor } from './editor.js';
import { isGuestView } from '../statement.js';
import { reservationOnlyMoved } from '../room-state.js';

const STANCES = ['support', 'supportWithReservation', 'abstain', 'abstainConstructively', 'oppose', 'notTakingPart', 'noPosition'];
const RESERVATIONS = ['scrutiny', 'parliamentary', 'general'];
/** Constructive abstention exists only where Art. 31(1) TEU applies: the rule that says so (the server refuses it elsewhere). */
const CONSTRUCTIVE_RULE = 'unanimityWithConstructiveAbstention';

export class PositionsGrid {
  #session;
  #itemId;
  #body;
  #summary;
  #editors = new Map();
  #forms = new Map();
  #withheld;
  #share = null;
  /** Counts the chair's ticks of the share box: their answers may come back in any order, and only the last one's is said. */
  #shareAsked = 0;
  /** What the chair or the secretariat just recorded: its form goes as it is saved, and the room does not announce one's own changes. */
  #recorded = h('p', { class: 'visually-hidden', role: 'status' });

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    this.#summary = h('span', { class: 'count' });
    this.#body = h('tbody', {});
    const you = session.state.you;
    this.#withheld = h('p', { class: 'panel-sub positions-withheld', hidden: true }, icon('shield'),
      ' The member states’ positions on this item are not shared with guests. You see your own position and the outcome.');
    if (you.canManageAgenda) {
      const box = h('input', { type: 'checkbox', id: uid('share-positions'), on: { change: () => this.#setShare(box) } });
      this.#share = { box, row: h('p', { class: 'panel-sub positions-share', hidden: true }, box, h('label', { for: box.id }, ' Share member positions with this item’s guests')), message: h('span', { class: 'form-message', role: 'status' }) };
      this.#share.row.append(' ', this.#share.message);
    }
    this.element = h('section', { class: 'panel positions', 'aria-labelledby': 'positions-title' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'positions-title' }, 'Positions'),
        this.#summary),
      you.canRecordOnBehalf
        ? h('p', { class: 'panel-sub' }, icon('gavel'), ' Tour de table: use “Record” on a row to note a delegation’s stance on its behalf. The history says you recorded it.')
        : null,
      this.#share?.row,
      this.#withheld,
      you.canRecordOnBehalf ? this.#recorded : null,
      h('div', { class: 'table-scroll' },
        h('table', { class: 'positions-table' },
          h('caption', { class: 'visually-hidden' }, 'Positions of the delegations on this item'),
          h('colgroup', {},
            h('col', { class: 'col-delegation' }), h('col', { class: 'col-stance' }),
            h('col', { class: 'col-position' }), h('col', { class: 'col-updated' })),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Delegation'),
            h('th', { scope: 'col' }, 'Stance'),
            h('th', { scope: 'col' }, 'Position'),
            h('th', { scope: 'col', class: 'updated-head' }, 'Updated'))),
          this.#body)));
    this.update();
  }

  get editors() { return [...this.#editors.values()]; }

  update() {
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    // A guest sees its own row unless the chair opened the item's positions to it.
    const withheld = isGuestView(state) && !item?.guestsSeePositions;
    this.#withheld.hidden = !withheld;
    if (this.#share) {
      this.#share.row.hidden = !item || item.guests.length === 0;
      this.#share.box.checked = Boolean(item?.guestsSeePositions);
    }
    const all = state.delegationsFor(this.#itemId).filter((d) => !withheld || this.#isOwnDelegation(d.delegationCode));
    // "Your delegation" first, with its controls: a delegate should not scroll past 26 others to its own stance.
    const rows = [...all.filter((d) => this.#isOwnDelegation(d.delegationCode)), ...all.filter((d) => !this.#isOwnDelegation(d.delegationCode))];
    const frozen = state.frozenReason(this.#itemId);
    const said = rows.filter((d) => state.position(this.#itemId, d.delegationCode).stance !== 'noPosition').length;
    this.#summary.textContent = `${said} of ${rows.length} stated`;
    reconcile(this.#body, rows, (d) => d.delegationCode, (d) => this.#createRow(d), (tr, d) => this.#updateRow(tr, d, frozen));
    for (const editor of this.#editors.values()) editor.setFrozen(frozen);
  }

  /** A position text changed: redraw that row's text (an own row's editor updates itself). */
  onText(documentId) {
    const doc = DocumentIds.parse(documentId);
    if (!doc || doc.itemId !== this.#itemId || this.#editors.has(doc.code)) return;
    const cell = this.#body.querySelector(`tr[data-key="${CSS.escape(doc.code)}"] .position-text`);
    if (cell) cell.textContent = this.#session.state.text(documentId).text;
  }

  dispose() {
    for (const editor of this.#editors.values()) editor.dispose();
  }

  #isOwnDelegation(code) {
    return this.#session.state.you.delegationCode === code;
  }

  async #setShare(box) {
    const state = this.#session.state;
    const share = box.checked;
    const asked = ++this.#shareAsked;
    this.#share.message.textContent = '';
    try {
      await Api.setGuestPositions(state.meetingId, this.#itemId, share);
      // Ticked and unticked quickly, the first answer may come last: it would say "Shared" beside an unticked box.
      if (asked !== this.#shareAsked) return;
      this.#share.message.textContent = share ? 'Shared with the guests.' : 'No longer shared with the guests.';
    } catch (error) {
      // Nor does an earlier choice refused late take the box back from the later one.
      if (asked !== this.#shareAsked) return;
      box.checked = !share;
      this.#share.message.textContent = `Not changed: ${error.message}`;
    }
  }

  #isOwn(code) {
    const you = this.#session.state.you;
    return you.role === 'delegate' && you.delegationCode === code;
  }

  #createRow(delegation) {
    const code = delegation.delegationCode;
    const own = this.#isOwn(code);
    // A row made anew (its delegation left the item's list and came back) starts with no form open, and the old row's
    // editor goes with the old row.
    this.#forms.delete(code);
    this.#editors.get(code)?.dispose();
    this.#editors.delete(code);
    const tr = h('tr', { class: ['position-row', own && 'is-own', delegation.kind !== 'memberState' && 'is-non-voting'] },
      h('th', { scope: 'row', class: 'delegation' },
        h('span', { class: 'code' }, code),
        h('span', { class: 'name' }, delegation.name),
        own ? h('span', { class: 'tag' }, 'Your delegation') : null,
        delegation.kind === 'guest' ? h('span', { class: 'tag muted' }, 'Guest') : null,
        delegation.kind === 'institution' ? h('span', { class: 'tag muted' }, 'Does not vote') : null),
      h('td', { class: 'stance' },
        h('div', { class: 'stance-slot' }),
        h('div', { class: 'reservation' })),
      h('td', { class: 'position' }),
      h('td', { class: 'updated' }));

    const positionCell = tr.querySelector('.position');
    const documentId = DocumentIds.position(this.#itemId, code);
    if (own) {
      const editor = new CoEditor(this.#session, documentId, {
        label: `Position text of ${delegation.name}`, rows: 2, canEdit: true, className: 'editor-compact', historyHeading: 'h3',
      });
      this.#editors.set(code, editor);
      positionCell.append(editor.element);
    } else {
      positionCell.append(h('p', { class: 'position-text' }));
    }
    return tr;
  }

  #updateRow(tr, delegation, frozen) {
    const state = this.#session.state;
    const code = delegation.delegationCode;
    const position = state.position(this.#itemId, code);
    const stance = labelOf(StanceLabels, position.stance);
    const own = this.#isOwn(code);
    const canRecord = state.you.canRecordOnBehalf;

    const stanceCell = tr.querySelector('.stance-slot');
    const form = this.#forms.get(code);
    if (own) {
      if (!form) {
        const created = this.#stanceForm(delegation, { onBehalf: false });
        this.#forms.set(code, created);
        replaceChildren(stanceCell, created.element);
      }
      this.#forms.get(code).sync(position, frozen);
    } else {
      let current = stanceCell.querySelector('.stance-current');
      if (!current) {
        // The "Record" button is made once and kept: redrawn on every stance saved in the room, it took the chair's
        // keyboard focus with it in the middle of a tour de table.
        current = h('div', { class: 'stance-current' }, h('span', { class: 'stance-chip' }), canRecord
          ? h('button', {
            type: 'button', class: 'link-button record-stance',
            on: { click: () => this.#toggleRecord(tr, delegation) },
          }, icon('gavel'), 'Record', h('span', { class: 'visually-hidden' }, ` stance of ${delegation.name}`))
          : null);
        stanceCell.prepend(current);
      }
      replaceChildren(current.querySelector('.stance-chip'), chip(stance));
      const record = current.querySelector('.record-stance');
      if (record) {
        record.disabled = Boolean(frozen);
        record.title = frozen ?? '';
        record.setAttribute('aria-expanded', form ? 'true' : 'false');
      }
      form?.sync(position, frozen);
    }
    tr.dataset.stance = position.stance;

    replaceChildren(tr.querySelector('.reservation'), position.reservationKind
      ? [h('span', { class: 'reservation-kind' }, icon('flag', { size: 14 }), ReservationLabels[position.reservationKind] ?? position.reservationKind,
        position.reservationParagraph ? h('span', { class: 'reservation-paragraph' }, `on paragraph ${position.reservationParagraph + this.#session.state.paragraphNumbering(this.#itemId).offset}`)
          : position.reservationParagraphDeleted ? h('span', { class: 'reservation-paragraph deleted', title: 'Every word of the paragraph it named has been deleted: state it again on the text as it stands.' }, 'on a deleted paragraph')
            : null),
        position.reservationText ? h('span', { class: 'reservation-text' }, position.reservationText) : null]
      : null);

    if (!own) {
      const text = state.text(DocumentIds.position(this.#itemId, code)).text;
      const p = tr.querySelector('.position-text');
      p.textContent = text;
      p.classList.toggle('is-empty', !text);
    }

    replaceChildren(tr.querySelector('.updated'), position.version > 0
      ? [h('span', { class: 'updated-time' }, timeOf(position.updatedAt)),
        h('span', { class: 'updated-by' }, describeAuthor(position))]
      : h('span', { class: 'muted' }, '—'));
  }

  #toggleRecord(tr, delegation) {
    const code = delegation.delegationCode;
    const open = this.#forms.get(code);
    const stanceCell = tr.querySelector('.stance-slot');
    if (open) {
      open.element.remove();
      this.#forms.delete(code);
      this.#updateRow(tr, delegation, this.#session.state.frozenReason(this.#itemId));
      tr.querySelector('.stance-current button')?.focus();
      return;
    }
    const form = this.#stanceForm(delegation, {
      onBehalf: true,
      onDone: () => this.#toggleRecord(tr, delegation),
    });
    this.#forms.set(code, form);
    stanceCell.append(form.element);
    this.#updateRow(tr, delegation, this.#session.state.frozenReason(this.#itemId));
    form.focus();
  }

  /** A stance + reservation form for one delegation. sync() keeps it in step with the server unless the user is changing it. */
  #stanceForm(delegation, { onBehalf, onDone }) {
    const session = this.#session;
    const itemId = this.#itemId;
    const code = delegation.delegationCode;
    const id = uid(`stance-${code}`);
    let version = 0;
    let dirty = false;
    // The position the form was last filled from, and whether saving it without a paragraph was asked once already
    // while its paragraph is deleted (the second press puts it on the whole text, knowingly).
    let basis = null;
    let wholeTextAsked = false;
    const stance = h('select', { id: `${id}-stance`, on: { change: () => { dirty = true; refresh(); } } },
      STANCES.map((s) => h('option', { value: s }, labelOf(StanceLabels, s).text)));
    const kind = h('select', { id: `${id}-kind`, on: { change: () => { dirty = true; } } },
      RESERVATIONS.map((r) => h('option', { value: r }, ReservationLabels[r])));
    const text = h('input', { id: `${id}-text`, type: 'text', maxlength: 2000, placeholder: 'Reservation, in a few words', on: { input: () => { dirty = true; } } });
    const paragraph = h('input', {
      id: `${id}-paragraph`, type: 'number', min: 1, step: 1, inputmode: 'numeric', class: 'reservation-paragraph-input',
      placeholder: 'Whole text', 'aria-describedby': `${id}-paragraph-hint`, on: { input: () => { dirty = true; wholeTextAsked = false; } },
    });
    const reservation = h('div', { class: 'reservation-fields' },
      h('label', { for: kind.id, class: 'visually-hidden' }, 'Kind of reservation'), kind,
      h('label', { for: text.id, class: 'visually-hidden' }, 'Reservation text'), text,
      h('label', { for: paragraph.id, class: 'small' }, 'On paragraph (as the margin numbers it)'), paragraph,
      h('span', { id: `${id}-paragraph-hint`, class: 'visually-hidden' }, 'Leave empty for a reservation on the whole text.'));
    const save = h('button', { type: 'submit', class: 'button small primary' }, onBehalf ? 'Record' : 'Save stance');
    const cancel = onBehalf ? h('button', { type: 'button', class: 'button small quiet', on: { click: () => onDone() } }, 'Cancel') : null;
    const message = h('p', { class: 'form-message', role: 'status' });

    const refresh = () => {
      reservation.hidden = stance.value !== 'supportWithReservation';
    };

    const element = h('form', {
      class: ['stance-form', onBehalf && 'on-behalf'],
      'aria-label': onBehalf ? `Record the stance of ${delegation.name}` : `Stance of ${delegation.name}`,
      on: {
        submit: async (event) => {
          event.preventDefault();
          const withReservation = stance.value === 'supportWithReservation';
          // The delegate types the margin's number; the server keeps the draft's own, which does not move when
          // other items are agreed or reordered.
          const { offset, count } = session.state.paragraphNumbering(itemId);
          const typed = withReservation && paragraph.value.trim() ? Number(paragraph.value) : null;
          if (typed !== null && (!Number.isInteger(typed) || typed <= offset || typed > offset + count)) {
            message.className = 'form-message tone-text-bad';
            message.textContent = count === 0
              ? 'The draft has no paragraphs yet: leave the paragraph empty for a reservation on the whole text.'
              : `This draft's paragraphs are numbered ${offset + 1} to ${offset + count}.`;
            paragraph.focus();
            return;
          }
          if (withReservation && typed === null && basis?.reservationParagraphDeleted && !wholeTextAsked) {
            // Left empty, the field says "whole text": a reservation whose paragraph was deleted must not land there unseen.
            wholeTextAsked = true;
            message.className = 'form-message tone-text-bad';
            message.textContent = 'Every word of the paragraph this reservation named has been deleted. Name the paragraph it is on now, or save again to put it on the whole text.';
            paragraph.focus();
            return;
          }
          save.disabled = true;
          message.className = 'form-message';
          message.textContent = 'Saving…';
          try {
            const saved = await Api.putPosition(session.state.meetingId, itemId, code, {
              stance: stance.value,
              reservationKind: withReservation ? kind.value : null,
              reservationText: withReservation ? text.value.trim() || null : null,
              reservationParagraph: typed === null ? null : typed - offset,
              expectedVersion: version,
            });
            dirty = false;
            // Our own event may have come (and a newer one after it) while the form was still ours: take the latest.
            const known = session.state.position(itemId, code);
            sync(saved && saved.version > known.version ? saved : known, session.state.frozenReason(itemId));
            message.textContent = onBehalf ? `Recorded for ${delegation.name}.` : 'Saved.';
            if (onBehalf) {
              this.#recorded.textContent = `Recorded for ${delegation.name}: ${labelOf(StanceLabels, stance.value).text.toLowerCase()}.`;
            }
            if (onDone) onDone();
          } catch (error) {
            message.className = 'form-message tone-text-bad';
            if (error instanceof ApiError && error.status === 409 && error.current && reservationOnlyMoved(basis, error.current)) {
              // Nobody restated it: the draft moved its paragraph (one was started or taken out above it). What the person
              // chose stays; a paragraph they did not touch follows the words, and they save again on the new version.
              const offset = session.state.paragraphNumbering(itemId).offset;
              const untouched = paragraph.value === (basis.reservationParagraph ? String(basis.reservationParagraph + offset) : '');
              version = error.current.version;
              basis = error.current;
              if (untouched) paragraph.value = error.current.reservationParagraph ? error.current.reservationParagraph + offset : '';
              message.textContent = error.current.reservationParagraphDeleted
                ? 'Meanwhile every word of the paragraph this reservation named was deleted: name the paragraph it is on now, and save again.'
                : `Meanwhile the draft moved this reservation’s paragraph: its words are now paragraph ${error.current.reservationParagraph + offset}. Check it and save again.`;
            } else if (error instanceof ApiError && error.status === 409 && error.current) {
              // The form shows what was recorded meanwhile, but the reservation's words typed here stay in their box:
              // they may be long, and are the person's own, to be saved again on the stance now shown.
              const typed = text.value;
              dirty = false;
              sync(error.current, session.state.frozenReason(itemId));
              const kept = typed.trim() !== '' && typed !== text.value;
              if (kept) {
                text.value = typed;
                dirty = true;
              }
              message.textContent = `Someone changed this first: it is now “${labelOf(StanceLabels, error.current.stance).text}”. Check it and save again if needed.`
                + (kept ? ' Your reservation’s words are kept.' : '');
            } else {
              message.textContent = `Not saved: ${error.message}`;
            }
          } finally {
            // A lock or a closing that came while saving froze the rest of the form: the button stays with it.
            save.disabled = Boolean(session.state.frozenReason(itemId));
          }
        },
      },
    },
    h('label', { for: stance.id, class: onBehalf ? '' : 'visually-hidden' }, onBehalf ? `Stance of ${delegation.name}` : 'Your stance'),
    stance,
    reservation,
    h('div', { class: 'stance-controls' }, save, cancel),
    message);

    function sync(position, frozen) {
      // While the person is changing the form, the version stays the one their choice was made on: a stance recorded
      // meanwhile (a tour de table) is then refused as stale (409) and shown, never overwritten unseen.
      if (!dirty) {
        basis = position;
        wholeTextAsked = false;
        paragraph.placeholder = position.reservationParagraphDeleted ? 'Its paragraph was deleted' : 'Whole text';
        version = position.version;
        stance.value = position.stance;
        kind.value = position.reservationKind ?? 'scrutiny';
        text.value = position.reservationText ?? '';
        paragraph.value = position.reservationParagraph ? position.reservationParagraph + session.state.paragraphNumbering(itemId).offset : '';
      }
      for (const control of [stance, kind, text, paragraph, save]) control.disabled = Boolean(frozen);
      const rule = session.state.items.get(itemId)?.rule;
      const constructive = stance.querySelector('option[value="abstainConstructively"]');
      // Offered only under Art. 31(1) TEU; a stance already recorded stays visible as it is.
      const allowed = rule === CONSTRUCTIVE_RULE || position.stance === 'abstainConstructively';
      constructive.hidden = !allowed;
      constructive.disabled = !allowed;
      refresh();
    }

    return { element, sync, focus: () => stance.focus() };
  }
}

/** "France delegate", or for a tour de table "Tour de table, by the chair". */
function describeAuthor(position) {
  if (!position.recordedOnBehalf) return position.updatedBy;
  const by = position.updatedBy;
  return by && by !== 'Tour de table' ? `Tour de table, by ${by}` : 'Tour de table';
}
