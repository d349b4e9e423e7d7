import { h } from '../dom.js';
import { icon } from '../icons.js';

/** A status chip: an icon and words, tinted by tone; the words alone carry the meaning. */
export function chip({ text, icon: iconName, tone = 'neutral' }, { className = '', title } = {}) {
  return h('span', { class: ['chip', `tone-${tone}`, className], title }, icon(iconName, { size: 14 }), h('span', {}, text));
}
