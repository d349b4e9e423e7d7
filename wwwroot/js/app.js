// The page's entry point: who is signed in, which screen the address asks for, and the room's session.
// Addresses: #/sign-in, #/meetings, #/meetings/{id}, #/meetings/{id}/items/{itemId}, #/invitation/{token}.

import { Api, ApiError, REQUESTED_WITH } from './api.js';
import { HUB_PATH } from './hub-names.js';
import signalR from './signalr.js';
import { RoomSession } from './room-session.js';
import { Announcer } from './announcer.js';
import { renderSignIn } from './views/sign-in.js';
import { renderInvitation } from './views/invitation.js';
import { renderMeetings } from './views/meetings.js';
import { RoomView } from './views/room.js';
import { renderTopbar } from './views/topbar.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const announcer = new Announcer(document.getElementById('announcer'));

/** @type {{me: object | null, session: RoomSession | null, room: RoomView | null}} */
const app = { me: null, session: null, room: null };

function createConnection() {
  return new signalR.HubConnectionBuilder()
    .withUrl(HUB_PATH, { headers: { [REQUESTED_WITH.name]: REQUESTED_WITH.value } })
    // Never give up: a delegate's page stays open all day and must come back by itself.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ({ previousRetryCount }) => Math.min(250 * 2 ** previousRetryCount, 3000) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
}

async function probeSignedIn() {
  try {
    await Api.me();
    return true;
  } catch (error) {
    return !(error instanceof ApiError && error.status === 401);
  }
}

function parseRoute() {
  const hash = location.hash;
  // Only "#/..." is an address; "#main" (the skip link) and friends are in-page anchors.
  if (!hash.startsWith('#/')) return null;
  const parts = hash.slice(2).split('/').filter(Boolean);
  if (parts[0] === 'sign-in') return { name: 'sign-in' };
  if (parts[0] === 'invitation' && parts[1]) return { name: 'invitation', token: parts[1] };
  if (parts[0] === 'meetings' && parts[1]) {
    const meetingId = Number(parts[1]);
    const itemId = parts[2] === 'items' ? Number(parts[3]) : null;
    if (Number.isInteger(meetingId) && meetingId > 0) return { name: 'room', meetingId, itemId: Number.isInteger(itemId) ? itemId : null };
  }
  return { name: 'meetings' };
}

export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

async function leaveRoom() {
  const session = app.session;
  app.room?.dispose();
  app.room = null;
  app.session = null;
  if (session) await session.close();
}

async function signOut() {
  await leaveRoom();
  try {
    await Api.signOut();
  } catch {
    // Signed out already, or offline: the sign-in screen is right either way.
  }
  app.me = null;
  navigate('#/sign-in');
}

function showTopbar(meetingState = null, session = null) {
  renderTopbar(topbar, { me: app.me, state: meetingState, session, onSignOut: signOut });
}

async function route() {
  const wanted = parseRoute();
  if (wanted === null) return;
  if (!app.me) {
    try {
      app.me = await Api.me();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
  }
  if (wanted.name === 'invitation') {
    // Open to anyone holding the link: accepting it is how a newcomer gets an account.
    await leaveRoom();
    showTopbar();
    document.title = 'Invitation · BriefingRoom';
    await renderInvitation(main, {
      token: wanted.token,
      me: app.me,
      onAccepted: async (meetingId) => {
        app.me = await Api.me();
        // Replace the address: the used link should not linger in the history.
        history.replaceState(null, '', `#/meetings/${meetingId}`);
        await route();
      },
    });
    return;
  }
  if (!app.me || wanted.name === 'sign-in') {
    await leaveRoom();
    app.me = null;
    showTopbar();
    document.title = 'Sign in · BriefingRoom';
    renderSignIn(main, {
      onSignedIn: async () => {
        app.me = await Api.me();
        navigate('#/meetings');
      },
    });
    return;
  }
  if (wanted.name === 'meetings') {
    await leaveRoom();
    showTopbar();
    document.title = 'Meetings · BriefingRoom';
    await renderMeetings(main);
    return;
  }
  if (app.session?.meetingId === wanted.meetingId && app.room) {
    app.room.select(wanted.itemId);
    return;
  }
  await leaveRoom();
  const session = new RoomSession(wanted.meetingId, createConnection, { probeSignedIn });
  app.session = session;
  app.room = new RoomView(main, session, {
    announcer,
    itemId: wanted.itemId,
    onHeader: (state) => showTopbar(state, session),
    onSignedOut: () => signOut(),
  });
  showTopbar(null, session);
  await app.room.open();
}

window.addEventListener('hashchange', () => { route().catch(showFatal); });

// The skip link moves the focus without touching the address, which holds the route.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

function showFatal(error) {
  console.error(error);
  main.replaceChildren();
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.textContent = `Something went wrong: ${error?.message ?? error}. Reload the page to try again.`;
  main.append(p);
}

if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/meetings');
route().catch(showFatal);
