import { formatDate, h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { MeetingStatusLabels, labelOf, seatText } from '../labels.js';
import { ConnectionStatus } from '../room-session.js';
import { chip } from './chips.js';

const CONNECTION = {
  [ConnectionStatus.Connecting]: { text: 'Connecting…', icon: 'refresh', tone: 'neutral' },
  [ConnectionStatus.Online]: { text: 'Live', icon: 'online', tone: 'good' },
  [ConnectionStatus.Back]: { text: 'Live', icon: 'online', tone: 'good' },
  [ConnectionStatus.Syncing]: { text: 'Catching up…', icon: 'refresh', tone: 'warn' },
  [ConnectionStatus.Reconnecting]: { text: 'Offline, reconnecting', icon: 'offline', tone: 'bad' },
};

let unbind = null;

/** The bar across the top: the app, the meeting, the connection, who is signed in. */
export function renderTopbar(topbar, { me, state, session, onSignOut, signOutProblem = null }) {
  const meeting = state?.meeting;
  const you = state?.you;
  const connection = h('span', { class: 'connection', id: 'connection-state' });
  const drawConnection = (status) => replaceChildren(connection, chip(CONNECTION[status] ?? CONNECTION.connecting));
  if (session) drawConnection(session.status);

  // Redrawn whole when the meeting's details change (the chair renamed it, closed it): the control the keyboard was on
  // is drawn again, and the focus goes to it, not to the top of the page.
  const focusedKey = topbar.contains(document.activeElement) ? document.activeElement.dataset?.focusKey : undefined;
  replaceChildren(topbar,
    h('a', { class: 'brand', href: '#/meetings', dataset: { focusKey: 'brand' }, 'aria-label': 'BriefingRoom: your meetings' }, icon('shield', { size: 22 }), h('span', {}, 'BriefingRoom')),
    meeting
      ? h('div', { class: 'meeting-heading' },
        h('h1', { class: 'meeting-name' }, meeting.title),
        h('p', { class: 'meeting-facts' },
          h('span', { class: 'doc-number' }, meeting.documentNumber),
          h('span', {}, formatDate(meeting.date)),
          h('span', {}, meeting.place),
          meeting.distributionMarking ? h('span', { class: 'marking' }, meeting.distributionMarking) : null,
          chip(labelOf(MeetingStatusLabels, meeting.status))))
      : h('div', { class: 'meeting-heading' }),
    h('div', { class: 'topbar-end' },
      session ? connection : null,
      me ? h('span', { class: 'whoami' }, icon('user'),
        h('span', { class: 'whoami-name' }, me.name),
        you ? h('span', { class: 'whoami-role' }, seatText(you)) : null)
        : null,
      me ? h('a', { class: 'button quiet', href: '#/account', dataset: { focusKey: 'account' } }, 'Account') : null,
      me ? h('button', { type: 'button', class: 'button quiet', dataset: { focusKey: 'sign-out' }, on: { click: onSignOut } }, icon('logout'), 'Sign out') : null,
      me && signOutProblem ? h('p', { class: 'form-error sign-out-problem', role: 'alert' }, icon('alert'), ` ${signOutProblem}`) : null));

  if (focusedKey) topbar.querySelector(`[data-focus-key="${focusedKey}"]`)?.focus({ preventScroll: true });

  unbind?.();
  unbind = session ? session.on('status', drawConnection) : null;
  return topbar;
}
