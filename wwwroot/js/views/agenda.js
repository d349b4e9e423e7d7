import { Api } from '../api.js';
import { h, reconcile, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { ItemStatusLabels, labelOf, roman } from '../labels.js';
import { chip } from './chips.js';
import { colourOf } from './editor.js';
import { outcomeChip } from './tally-panel.js';

/**
 * The agenda: number, title, status, lock, tally badge and who is on each item now. The chair moves
 * items up and down with buttons (keyboard-usable; the focus stays on the button pressed).
 */
export class AgendaView {
  #session;
  #list;
  #error;
  #count;
  #selected = null;
  #presence = [];
  #keepFocus = null;
  #moving = false;

  constructor(session) {
    this.#session = session;
    this.#count = h('span', { class: 'count' });
    this.#error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    this.#list = h('ol', { class: 'agenda-list' });
    this.element = h('nav', { class: 'agenda panel', 'aria-labelledby': 'agenda-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'agenda-title' }, 'Agenda'), this.#count),
      this.#error,
      this.#list);
  }

  setSelected(itemId) { this.#selected = itemId; this.update(); }
  setPresence(users) { this.#presence = users; this.update(); }

  update() {
    const state = this.#session.state;
    const items = state.agenda();
    this.#count.textContent = `${items.length} item${items.length === 1 ? '' : 's'}`;
    const canMove = state.you.canManageAgenda;
    reconcile(this.#list, items, (item) => String(item.id),
      (item) => this.#create(item, canMove),
      (el, item) => this.#update(el, item, items, canMove));
    this.#restoreFocus(items);
  }

  #create(item, canMove) {
    const li = h('li', { class: 'agenda-item' });
    const link = h('a', { class: 'agenda-link' },
      h('span', { class: 'agenda-number', 'aria-hidden': 'true' }),
      h('span', { class: 'agenda-body' },
        h('span', { class: 'agenda-title' }, h('span', { class: 'visually-hidden agenda-sr-number' }), h('span', { class: 'agenda-title-text' })),
        h('span', { class: 'agenda-chips' }),
        h('span', { class: 'agenda-presence' })));
    li.append(link);
    if (canMove) {
      li.append(h('span', { class: 'agenda-move' },
        h('button', { type: 'button', class: 'icon-button move-up', on: { click: (e) => this.#move(item.id, -1, e.currentTarget) } }, icon('arrow-up')),
        h('button', { type: 'button', class: 'icon-button move-down', on: { click: (e) => this.#move(item.id, 1, e.currentTarget) } }, icon('arrow-down'))));
    }
    return li;
  }

  #update(li, item, items, canMove) {
    const state = this.#session.state;
    const n = roman(item.number);
    const current = item.id === this.#selected;
    li.classList.toggle('is-current', current);
    li.classList.toggle('is-locked', Boolean(item.lock));
    const link = li.querySelector('.agenda-link');
    link.href = `#/meetings/${state.meetingId}/items/${item.id}`;
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    li.querySelector('.agenda-number').textContent = n;
    li.querySelector('.agenda-sr-number').textContent = `Item ${n}: `;
    li.querySelector('.agenda-title-text').textContent = item.title;

    const chips = [chip(labelOf(ItemStatusLabels, item.status))];
    if (item.lock) chips.push(chip({ text: 'Locked', icon: 'lock', tone: 'bad' }, { title: item.lock.reason ?? '' }));
    const tally = state.tallies.get(item.id);
    if (tally) chips.push(outcomeChip(tally, { compact: true }));
    replaceChildren(li.querySelector('.agenda-chips'), chips);

    const here = this.#presence.filter((u) => u.itemIds.includes(item.id));
    const shown = here.slice(0, 4);
    replaceChildren(li.querySelector('.agenda-presence'),
      shown.map((u) => h('span', { class: `person-tag c${colourOf(u.userId)}`, title: u.name, 'aria-hidden': 'true' }, shortName(u))),
      here.length > shown.length ? h('span', { class: 'person-more', 'aria-hidden': 'true' }, `+${here.length - shown.length}`) : null,
      here.length > 0 ? h('span', { class: 'visually-hidden' }, `On this item now: ${here.map((u) => u.name).join(', ')}.`) : null);

    if (canMove) {
      // A closed meeting's agenda no longer moves (the server refuses it): the chair reopens the meeting first.
      li.querySelector('.agenda-move').hidden = this.#session.state.closed;
      const index = items.indexOf(item);
      const up = li.querySelector('.move-up');
      const down = li.querySelector('.move-down');
      up.disabled = index === 0;
      down.disabled = index === items.length - 1;
      up.setAttribute('aria-label', `Move item ${n} up`);
      down.setAttribute('aria-label', `Move item ${n} down`);
      up.title = `Move item ${n} up`;
      down.title = `Move item ${n} down`;
    }
  }

  async #move(itemId, delta, button) {
    // One move at a time: the second click of a double click, made from the order the first is changing, would be
    // refused as made from an old agenda.
    if (this.#moving) return;
    const state = this.#session.state;
    const shown = state.agenda().map((i) => i.id);
    const ids = [...shown];
    const from = ids.indexOf(itemId);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    this.#error.hidden = true;
    this.#moving = true;
    try {
      await Api.reorder(state.meetingId, ids, shown);
    } catch (error) {
      this.#error.textContent = `The agenda was not reordered: ${error.message}`;
      this.#error.hidden = false;
      return;
    } finally {
      this.#moving = false;
    }
    // The event will move the row: then keep the keyboard on it, even if this button is disabled by then.
    this.#keepFocus = { itemId, index: to, button };
    this.update();
  }

  #restoreFocus(items) {
    const keep = this.#keepFocus;
    if (!keep || items.findIndex((i) => i.id === keep.itemId) !== keep.index) return;
    this.#keepFocus = null;
    const li = keep.button.closest('li');
    if (!li) return;
    if (keep.button.disabled) {
      li.querySelector(keep.button.classList.contains('move-up') ? '.move-down' : '.move-up')?.focus();
    } else if (document.activeElement !== keep.button) {
      keep.button.focus();
    }
  }
}

/** "FR" for a delegate, "Chair" for the chair: the shortest clear name for a small tag. */
export function shortName(user) {
  if (user.delegationCode) return user.delegationCode;
  const role = String(user.role ?? '');
  return role ? role[0].toUpperCase() + role.slice(1) : '?';
}
