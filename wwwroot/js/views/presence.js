import { h, replaceChildren } from '../dom.js';
import { RoleLabels, roman, textOf } from '../labels.js';
import { colourOf } from './editor.js';

/** Who is in the room now, and which item each is looking at. */
export class PresencePanel {
  #session;
  #list;
  #count;

  constructor(session) {
    this.#session = session;
    this.#count = h('span', { class: 'count' });
    this.#list = h('ul', { class: 'presence-list' });
    this.element = h('section', { class: 'panel presence', 'aria-labelledby': 'presence-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'presence-title' }, 'In the room'), this.#count),
      this.#list);
  }

  render(users) {
    const state = this.#session.state;
    this.#count.textContent = `${users.length} online`;
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
