import { h, replaceChildren } from '../dom.js';
import { RoleLabels, roman, textOf } from '../labels.js';
import { colourOf } from './editor.js';

/**
 * Who is in the room now, and which item each is looking at. While the connection is lost the list is who was here
 * when it went: the panel says so, until the room is caught up again and the server's list replaces it.
 */
export class PresencePanel {
  #session;
  #list;
  #count;
  #stale;
  #users = [];
  #offline = false;

  constructor(session) {
    this.#session = session;
    this.#count = h('span', { class: 'count' });
    this.#stale = h('p', { id: 'presence-stale', class: 'presence-stale small', hidden: true },
      'Offline: this is who was here when the connection was lost. It is brought up to date once the page is back.');
    this.#list = h('ul', { class: 'presence-list' });
    this.element = h('section', { class: 'panel presence', 'aria-labelledby': 'presence-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'presence-title' }, 'In the room'), this.#count),
      this.#stale, this.#list);
  }

  /** Offline (reconnecting or catching up) or not: the list is marked as what it was when the connection went. */
  setOffline(offline) {
    if (offline === this.#offline) return;
    this.#offline = offline;
    this.render(this.#users);
  }

  render(users) {
    const state = this.#session.state;
    this.#users = users;
    this.#count.textContent = this.#offline ? `${users.length} when last connected` : `${users.length} online`;
    this.#stale.hidden = !this.#offline;
    this.#list.classList.toggle('stale', this.#offline);
    if (this.#offline) this.#list.setAttribute('aria-describedby', 'presence-stale');
    else this.#list.removeAttribute('aria-describedby');
    replaceChildren(this.#list, users.map((u) => {
      const where = u.itemIds.map((id) => state.items.get(id)).filter(Boolean).map((i) => roman(i.number));
      const role = textOf(RoleLabels, u.role);
      return h('li', { class: 'presence-person' },
        h('span', { class: `swatch c${colourOf(u.userId)}`, 'aria-hidden': 'true' }),
        h('span', { class: 'presence-name' }, u.name, u.userId === state.you.userId ? h('span', { class: 'muted' }, ' (you)') : null),
        h('span', { class: 'presence-where' }, u.delegationCode ? `${role}, ${u.delegationCode}` : role,
          ' · ', where.length > 0 ? `item ${where.join(', ')}` : 'agenda'));
    }));
  }
}
