// The footnotes of one item's draft, beside it: each reservation worded exactly as the conclusions will print
// it (the server words them; this only lists them), and the paragraph of the draft it stands at. A reservation
// follows its paragraph's words as paragraphs are added or removed above it; once they are all deleted it says so.

import { h, replaceChildren, uid } from '../dom.js';
import { icon } from '../icons.js';

export class FootnoteList {
  #session;
  #itemId;
  #list;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const id = uid('footnotes');
    this.#list = h('ul', { class: 'footnote-list', 'aria-labelledby': `${id}-title` });
    this.element = h('section', { class: 'footnotes', 'aria-labelledby': `${id}-title`, hidden: true },
      h('h3', { id: `${id}-title` }, icon('flag', { size: 14 }), 'Footnotes'),
      h('p', { class: 'muted small' }, 'Reservations as the conclusions print them, at the paragraph of the draft they name.'),
      this.#list);
    this.update();
  }

  update() {
    const state = this.#session.state;
    const footnotes = state.footnotes?.get(this.#itemId) ?? [];
    // The server names the draft's own paragraph; the room shows the margin's number, as the conclusions print it.
    const { offset } = state.paragraphNumbering(this.#itemId);
    this.element.hidden = footnotes.length === 0;
    replaceChildren(this.#list, footnotes.map((note) => h('li', { class: 'footnote' },
      h('span', { class: 'footnote-at' }, note.paragraph ? `Paragraph ${note.paragraph + offset}` : note.paragraphDeleted ? 'Deleted paragraph' : 'Whole text'),
      h('span', { class: 'footnote-text' }, note.text))));
  }
}
