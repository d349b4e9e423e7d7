import { Api } from '../api.js';
import { formatDate, h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { MeetingStatusLabels, labelOf, seatText } from '../labels.js';
import { whatChanged } from '../meetings-changes.js';
import { chip } from './chips.js';

/**
 * The meetings the signed-in user is a member of. `notice`: why the page came here by itself (a seat withdrawn while
 * the room was open), said above the list, with what they had typed there and not had saved ({why, unsaved: string[]}).
 * `watch(onChange, onLive)`: keeps the list live, calling onChange whenever the person's meetings may have changed (a seat
 * given or taken away, a meeting's details, a meeting created; the list is then read again and drawn in place), and
 * onLive(why) with why it is not live (null once it is).
 * `say(text)`: tells a screen reader what changed when it is drawn again (the page's polite live region).
 * `wanted()`: false once another screen was asked for while the list was on its way; that screen owns the page then.
 */
export async function renderMeetings(main, { notice = null, watch = null, say = null, wanted = () => true } = {}) {
  replaceChildren(main, h('p', { class: 'loading', role: 'status' }, 'Loading your meetings…'));
  let meetings;
  try {
    meetings = await Api.meetings();
  } catch (error) {
    if (wanted()) replaceChildren(main, h('p', { class: 'fatal', role: 'alert' }, `Could not load your meetings: ${error.message}`));
    return;
  }
  // A meeting chosen meanwhile is open in the page: drawn over it, the list would hide the room, and its connection
  // would stay open beside the room's.
  if (!wanted()) return;
  let shown = meetings;
  let list = listOf(meetings);
  const notLive = h('p', { class: 'not-live', hidden: true });
  const section = h('section', { class: 'meetings', 'aria-labelledby': 'meetings-title' },
    h('h1', { id: 'meetings-title', tabindex: '-1' }, 'Your meetings'),
    notLive,
    notice ? h('div', { class: 'left-room', role: 'alert' },
      h('p', { class: 'form-error' }, icon('alert'), ` You left the meeting: ${notice.why}`),
      notice.unsaved.length ? h('p', {}, 'What you had typed there and not had saved is below: copy it before you leave this page.') : null,
      notice.unsaved.map((text) => h('textarea', { class: 'kept-text-body', readOnly: true, rows: '4', 'aria-label': 'Your unsaved text', value: text }))) : null,
    list);
  replaceChildren(main, section);
  // Sent here from a room (a seat revoked), the keyboard starts above the notice and the text kept, not past them on a
  // meeting; and never on nothing, as it would with no meeting to go to.
  const link = notice ? null : main.querySelector('.meeting-link');
  (link ?? main.querySelector('#meetings-title')).focus();

  // One reading at a time; a change heard while one is on its way is read again after it, so the last one wins.
  let reading = null;
  let again = false;
  const refresh = async () => {
    // Left meanwhile (its connection stops once its start has settled): nothing to read for.
    if (!section.isConnected) return;
    if (reading) {
      again = true;
      return;
    }
    reading = Api.meetings();
    try {
      const meetingsNow = await reading;
      if (!section.isConnected) return;
      const fresh = listOf(meetingsNow);
      const told = whatChanged(shown, meetingsNow);
      shown = meetingsNow;
      // The keyboard stays on the meeting it was on, wherever the meeting now stands in the list.
      const focused = list.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
      list.replaceWith(fresh);
      list = fresh;
      if (focused) (fresh.querySelector(`a[href="${focused}"]`) ?? main.querySelector('#meetings-title')).focus();
      if (told) say?.(told);
    } catch {
      // Offline or signed out: the list as it stands stays; the next change, or the link coming back, reads it again.
    } finally {
      reading = null;
      if (again && section.isConnected) {
        again = false;
        refresh();
      }
    }
  };
  // Whether the list is live, shown above it and said in the polite live region when it changes (a hidden note shown
  // is not reliably read out by itself).
  let notLiveWhy = null;
  const live = (why) => {
    if (why === notLiveWhy) return;
    if (why) say?.(why); else if (notLiveWhy) say?.('This list is updating by itself again.');
    notLiveWhy = why;
    notLive.hidden = !why;
    replaceChildren(notLive, ...(why ? [icon('alert'), ` ${why}`] : []));
  };
  if (section.isConnected) watch?.(refresh, live);
}

function listOf(meetings) {
  if (meetings.length === 0) {
    return h('p', { class: 'empty' }, icon('info'), ' You have no seat in any meeting yet. The secretariat invites you by e-mail: follow the link in the invitation.');
  }
  return h('ul', { class: 'meeting-list' }, meetings.map((m) => {
    const status = labelOf(MeetingStatusLabels, m.status);
    return h('li', { class: 'meeting-card' },
      h('a', { href: `#/meetings/${m.id}`, class: 'meeting-link' },
        h('span', { class: 'meeting-doc' }, m.documentNumber),
        h('span', { class: 'meeting-title' }, m.title),
        h('span', { class: 'meeting-meta' }, `${formatDate(m.date)} · ${m.place}`)),
      h('div', { class: 'meeting-chips' },
        chip(status),
        chip({ text: seatText(m), icon: 'user', tone: 'neutral' })));
  }));
}
