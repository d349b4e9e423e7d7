// Building the page without HTML strings: every piece of text, and above all every piece a user typed,
// goes in as a text node or a property (textContent, value), never as markup. There is no innerHTML in
// this code base (tests/js/no-html-sinks.test.mjs keeps it that way).

const FORBIDDEN_ATTRIBUTES = /^(on|style$|srcdoc$)/i;

/**
 * h('button', {class: 'primary', type: 'button', on: {click}}, 'Lock', icon('lock'))
 * Props: class (string or array, falsy entries dropped), dataset, on, and attributes; `value`, `checked`,
 * `disabled`, `readOnly`, `hidden` and `textContent` are set as properties. Children: nodes, strings
 * (as text), numbers, arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** An SVG element, for icons and the tally bars. */
export function svg(tag, attributes = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function setProps(el, props) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    switch (name) {
      case 'class':
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
        break;
      case 'dataset':
        Object.assign(el.dataset, value);
        break;
      case 'on':
        for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
        break;
      case 'value': case 'checked': case 'disabled': case 'readOnly': case 'hidden':
      case 'textContent': case 'selected': case 'multiple':
        el[name] = value;
        break;
      default:
        if (FORBIDDEN_ATTRIBUTES.test(name)) throw new Error(`dom.h: the attribute '${name}' is not allowed`);
        el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Keeps one child element per key, in the given order, reusing existing elements (so focus and
 * scroll stay where they are when a list changes under the user).
 * @template T
 * @param {Element} container
 * @param {T[]} items
 * @param {(item: T) => string} keyOf
 * @param {(item: T) => Element} create
 * @param {(el: Element, item: T) => void} update
 */
export function reconcile(container, items, keyOf, create, update) {
  const active = document.activeElement;
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    let el = existing.get(key);
    if (el) {
      existing.delete(key);
    } else {
      el = create(item);
      el.dataset.key = key;
    }
    update(el, item);
    if (el === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      container.insertBefore(el, cursor);
    }
  }
  for (const stale of existing.values()) stale.remove();
  // Moving an element blurs what it holds: give the focus back, so a keyboard user stays on the control they used.
  if (active instanceof HTMLElement && active.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
  }
}

/**
 * Marks a field refused, described by `message` (the element, with an id, that says why) and then by the field's own
 * description (its `data-described-by`), so that a screen reader reads the reason on the field first; `message` null
 * clears the mark and leaves the field's own description.
 */
export function markInvalid(field, message) {
  const own = field.dataset.describedBy ?? '';
  if (message) {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', `${message.id} ${own}`.trim());
  } else {
    field.removeAttribute('aria-invalid');
    if (own) field.setAttribute('aria-describedby', own);
    else field.removeAttribute('aria-describedby');
  }
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * An instant (a deadline, when a version was saved, until when an invitation works) in the reader's own time, naming
 * the zone ("GMT+2"): the delegations' screens do not all keep Brussels time, and the server's refusals name UTC.
 */
export function instantText(iso, { brief = false } = {}) {
  const date = new Date(iso);
  // Brief (a text's revisions, read in a list): without the weekday and the year.
  const day = brief ? { day: 'numeric', month: 'short' } : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString([], {
    ...day, hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'shortOffset',
  });
}

/** A calendar date of the API ("2026-03-19") as the page shows it ("19 March 2026"). */
export function formatDate(isoDate) {
  const date = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(isoDate)
    : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "14:05" in the user's locale. */
export function timeOf(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
