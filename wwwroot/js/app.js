// The page's entry point: who is signed in, which screen the address asks for, and the room's session.
// Addresses: #/sign-in (?ended=1 when a session ended, ?return=/meetings/{id}/items/{itemId} to come back to),
// #/meetings, #/meetings/{id}, #/meetings/{id}/items/{itemId}, #/invitation/{token}, #/account,
// #/forgot-password (?email=), #/reset-password?email=&code= (the link a reset letter carries).

import { Api, ApiError, REQUESTED_WITH, sessionEvents } from './api.js';
import { keepSession } from './session-keeper.js';
import { DocumentIds, HUB_PATH, HubEvents } from './hub-names.js';
import signalR from './signalr.js';
import { RoomSession, SERVER_TIMEOUT_MS, closeConnection, hearEveryFrame, retryDelayMs, tooManyConnections } from './room-session.js';
import { Announcer } from './announcer.js';
import { keepFocusThroughDisabling } from './focus-keeper.js';
import { keptTexts } from './kept-texts.js';
import { localReturnPath, signInAddress } from './return-to.js';
import { renderSignIn } from './views/sign-in.js';
import { renderInvitation } from './views/invitation.js';
import { renderAccount, renderForgotPassword, renderResetPassword } from './views/password.js';
import { renderMeetings } from './views/meetings.js';
import { RoomView } from './views/room.js';
import { renderTopbar } from './views/topbar.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const announcer = new Announcer(document.getElementById('announcer'));

/** Set while someone is signed in on this browser, cleared when they sign out: a sign-in page then knows a session ended. */
const SIGNED_IN_MARK = 'briefingroom.signed-in';

/** @type {{me: object | null, session: RoomSession | null, room: RoomView | null, meetingsWatch: {connection: object, started: Promise<void>} | null}} */
const app = { me: null, session: null, room: null, meetingsWatch: null };

function createConnection() {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(HUB_PATH, { headers: { [REQUESTED_WITH.name]: REQUESTED_WITH.value } })
    // Never give up: a delegate's page stays open all day and must come back by itself. A reconnect that keeps
    // failing may be a session that ended (the hub refuses it): the session probe tells the two apart.
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: ({ previousRetryCount, retryReason }) => {
        // Why the last attempt failed (a refusal's words included): the room may have to say it.
        connection.onretryfailed?.(retryReason);
        if (previousRetryCount >= 1) checkSession();
        return Math.min(250 * 2 ** previousRetryCount, 3000);
      },
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.serverTimeoutInMilliseconds = SERVER_TIMEOUT_MS;
  hearEveryFrame(connection);
  return connection;
}

let probing = null;

/** True unless the server says plainly that nobody is signed in (offline counts as still signed in). */
function probeSignedIn() {
  probing ??= Api.session().then((s) => s?.signedIn !== false, () => true).finally(() => { probing = null; });
  return probing;
}

function checkSession() {
  probeSignedIn().then((signedIn) => (signedIn ? undefined : sessionEnded())).catch(showFatal);
}

function remember(me) {
  app.me = me;
  try {
    if (me) localStorage.setItem(SIGNED_IN_MARK, '1');
  } catch {
    // No storage: the sign-in page just cannot say why.
  }
}

function forget() {
  app.me = null;
  try {
    localStorage.removeItem(SIGNED_IN_MARK);
  } catch {
    // As above.
  }
}

function wasSignedIn() {
  try {
    return localStorage.getItem(SIGNED_IN_MARK) === '1';
  } catch {
    return false;
  }
}

/** The route of the page as a path ("/meetings/1/items/3"), to come back to after signing in. */
function currentPath() {
  const hash = location.hash;
  return hash.startsWith('#/') ? localReturnPath(hash.slice(1).split('?')[0]) : null;
}

/** Whatever the user typed that the server has not confirmed goes into the browser's storage, under its item. */
function keepUnsaved(session, reason) {
  const userId = session?.state?.you?.userId;
  if (!userId) return;
  for (const { documentId, text } of session.unsaved()) {
    const doc = DocumentIds.parse(documentId);
    if (doc) keptTexts.add(userId, session.meetingId, doc.itemId, { documentId, text, reason });
  }
}

let ending = false;

/**
 * The session ended (it expired, or was ended elsewhere): one message, on the sign-in page, which brings the
 * person back to the same item afterwards; what they had not saved is kept for them there.
 */
async function sessionEnded() {
  if (!app.me || ending) return;
  ending = true;
  try {
    const returnTo = currentPath();
    keepUnsaved(app.session, 'Your session ended before this was saved.');
    await leaveRoom();
    app.me = null;
    navigate(signInAddress({ returnTo, ended: true }));
  } finally {
    ending = false;
  }
}

// A 401 is also the answer to a wrong password for another account (an invitation to an address that has one,
// opened while signed in as oneself): only the server says whether this page's own session ended.
sessionEvents.addEventListener('unauthorized', () => { checkSession(); });

// Typing goes over the hub, which does not renew the sign-in cookie: while the person works, the page asks who it is now and then.
keepSession({ renew: () => (app.me ? Api.me() : undefined) });

// A page closed while offline would lose what waits to be sent: keep it under its item for next time.
window.addEventListener('pagehide', () => {
  if (app.session && !app.session.connected) keepUnsaved(app.session, 'The page was closed before this was sent.');
});

function parseRoute() {
  const hash = location.hash;
  // Only "#/..." is an address; "#main" (the skip link) and friends are in-page anchors.
  if (!hash.startsWith('#/')) return null;
  const [path, search = ''] = hash.slice(2).split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'sign-in') {
    const query = new URLSearchParams(search);
    return { name: 'sign-in', ended: query.get('ended') === '1', returnTo: localReturnPath(query.get('return')) };
  }
  if (parts[0] === 'invitation' && parts[1]) return { name: 'invitation', token: parts[1] };
  if (parts[0] === 'account') return { name: 'account' };
  if (parts[0] === 'forgot-password') return { name: 'forgot-password', email: new URLSearchParams(search).get('email') ?? '' };
  if (parts[0] === 'reset-password') {
    const query = new URLSearchParams(search);
    if (query.get('email') && query.get('code')) return { name: 'reset-password', email: query.get('email'), code: query.get('code') };
    return { name: 'forgot-password', email: query.get('email') ?? '' };
  }
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

/**
 * Keeps the meetings page live: a hub connection that joins no meeting and hears when the person's list changes
 * (closed by leaveRoom, which every other screen calls first). A change made while the link was down was never sent:
 * the list is read again once it is back. `onLive(why)` hears why the list is not live (null once it is): a connection
 * turned away (too many open for the person, the server out of reach) is tried again by itself, as a room's is.
 */
function watchMeetings(onChange, onLive = () => {}) {
  // Two readings of the page crossing (the address chosen twice quickly) must not leave the first one's connection open.
  stopWatching(app.meetingsWatch);
  const connection = createConnection();
  connection.on(HubEvents.MeetingsChanged, onChange);
  // An administrator hears of every meeting's invitations; this page lists none.
  connection.on(HubEvents.InvitationsChanged, () => {});
  connection.onreconnected(onChange);
  const watch = { connection, started: null, retry: null };
  let failures = 0;
  // The list loaded stays, said not to be live; turned away for an ended session, the probe says so.
  const failed = (error) => {
    if (app.meetingsWatch !== watch) return;
    const refusal = tooManyConnections(error);
    onLive(refusal
      ? `This list is not updating by itself: ${refusal} It updates by itself again once one is closed.`
      : 'This list is not updating by itself: the server cannot be reached just now. The page keeps trying.');
    checkSession();
    clearTimeout(watch.retry);
    watch.retry = setTimeout(() => { if (app.meetingsWatch === watch) start(); }, retryDelayMs(failures++));
  };
  const start = () => {
    // A change made between the list's loading and the connection's start was told to nobody here: read it once more.
    watch.started = connection.start().then(() => {
      if (app.meetingsWatch !== watch) return;
      onLive(null);
      onChange();
    }, failed);
  };
  // Closed for good: turned away by the hub once connected (two of the person's connections past the negotiation's
  // check together), or a reconnect that stopped. Stopped on purpose, the page has moved on and this is not its watch.
  connection.onclose(failed);
  start();
  app.meetingsWatch = watch;
}

/**
 * Stops the meetings page's connection once its start has settled, not during it: stopped while it negotiates, SignalR
 * logs "Failed to start the connection" as an error, for nothing more than a page left quickly (signing in and going
 * straight to a meeting). Settles once it is closed.
 */
function stopWatching(watch) {
  if (!watch) return Promise.resolve();
  clearTimeout(watch.retry);
  return watch.started.then(() => closeConnection(watch.connection)).catch(() => {});
}

async function leaveRoom() {
  const watching = app.meetingsWatch;
  app.meetingsWatch = null;
  // Closed before a room connects: it counts toward the person's connection limit, and a room opened straight from the
  // list was turned away by the list's own connection (at a limit of one), then waited out its retry. A server that
  // does not answer the close holds the next screen back two seconds at most.
  await Promise.race([stopWatching(watching), new Promise((resolve) => { setTimeout(resolve, 2000); })]);
  const session = app.session;
  app.room?.dispose();
  app.room = null;
  app.session = null;
  if (session) await session.close();
}

/** Why the last sign-out did not happen, shown beside "Sign out" until the next try. */
let signOutProblem = null;

/** The question before a sign-out that would remove `count` texts the server did not take from this browser. */
function signOutQuestion(count) {
  const [texts, it] = count === 1 ? ['One text you typed was', 'it'] : [`${count} texts you typed were`, 'them'];
  return `${texts} not saved on the server, and this browser keeps ${it} for you. Signing out removes ${it} from this ` +
    `browser, so that whoever uses it next cannot read ${it}: copy what you need first. Sign out now?`;
}

async function signOut() {
  const me = app.me;
  signOutProblem = null;
  // What the server did not take stays in this browser's storage until dismissed, under the person: on a shared or
  // borrowed computer, the next person to use it could read it there. Signing out removes it, and asks first.
  const unsaved = (app.session?.unsaved().length ?? 0) + (me ? keptTexts.listPerson(me.id).length : 0);
  if (unsaved > 0 && !globalThis.confirm(signOutQuestion(unsaved))) return;
  // Kept until the server has ended the session: a sign-out that fails leaves the person signed in, with their texts.
  keepUnsaved(app.session, 'Not saved before you signed out.');
  await leaveRoom();
  // Forgotten first: a 401 from signing out (the session had ended anyway) is not news to announce.
  forget();
  try {
    await Api.signOut();
  } catch (error) {
    // A 401: signed out already. Anything else (offline, a refusal, a server error) left the session working on the
    // server, and its cookie in this browser: the sign-in screen would tell the person, on a borrowed laptop say, that
    // they were out while the next one to open the page is still them. They are told, and stay where they were.
    if (!(error instanceof ApiError && error.status === 401)) {
      remember(me);
      signOutProblem = `Not signed out: ${error?.message ?? error}. You are still signed in on this browser; try again.`;
      await route();
      return;
    }
  }
  if (me) keptTexts.forgetPerson(me.id);
  navigate('#/sign-in');
}

/**
 * The hub would not let us back in: an ended session is said as such. Still signed in, the seat in this meeting was
 * withdrawn: the person stays signed in (their other meetings are theirs still), what they had not saved is kept, and
 * their meetings say why they are no longer in the room.
 */
async function refusedByHub(why) {
  const now = await Api.session().catch(() => null);
  if (now?.signedIn === false) {
    await sessionEnded();
    return;
  }
  if (now?.me && app.me && now.me.id !== app.me.id) {
    // Someone else signed in on this browser (in another tab): what the person before them had not saved is kept
    // under that person, for their next sign-in, and never shown to the one now at the keyboard.
    keepUnsaved(app.session, 'Someone else signed in on this browser before this was saved.');
    await leaveRoom();
    remember(now.me);
    leftBecause = { why: why || 'Someone else signed in on this browser.', unsaved: [] };
    navigate('#/meetings');
    return;
  }
  // Kept under its item, should the seat be given back; shown on the meetings page now, since the room is closed to
  // them: with what the server refused there before (an edit sent on the way back is refused first, and kept).
  const session = app.session;
  keepUnsaved(session, 'You were no longer admitted to the meeting before this was saved.');
  const userId = session?.state?.you?.userId;
  const unsaved = userId ? keptTexts.listMeeting(userId, session.meetingId).map((entry) => entry.text) : [];
  // Signed in as the same person, the hub refuses the join only when the seat is gone: its words ("Meeting 1 does not
  // exist or you are not a member of it") are those it says to anyone, and would leave the person wondering which.
  const title = session?.state?.meeting?.title;
  await leaveRoom();
  leftBecause = { why: title ? `You no longer have a seat in ${title}.` : why || 'You are no longer admitted to this meeting.', unsaved };
  navigate('#/meetings');
}

/** Why the room was left without the person asking (their seat withdrawn), and what they had not saved: said once. */
let leftBecause = null;

function showTopbar(meetingState = null, session = null) {
  renderTopbar(topbar, { me: app.me, state: meetingState, session, onSignOut: signOut, signOutProblem });
}

/** How many screens were asked for: one still loading when another is asked for draws nothing (see renderMeetings). */
let screensAsked = 0;

async function route() {
  const wanted = parseRoute();
  if (wanted === null) return;
  const asked = ++screensAsked;
  // Another address asked for while this one waited (for the server, or for a room to close) owns the page: drawn now,
  // this one would cover it, and close the room it opened.
  const current = () => asked === screensAsked;
  if (!app.me) {
    const session = await Api.session();
    if (!current()) return;
    if (session?.signedIn) remember(session.me);
  } else if (wanted.name === 'meetings' || wanted.name === 'sign-in' || (wanted.name === 'room' && app.session?.meetingId !== wanted.meetingId)) {
    // Another tab of this browser may have signed out, and in as someone else, since this page last asked: the cookie
    // is that person's now, and a room opened with it must not go on showing the name this page knew.
    const session = await Api.session().catch(() => null);
    if (session?.signedIn === false) {
      await sessionEnded();
      return;
    }
    if (!current()) return;
    if (session?.me && session.me.id !== app.me.id) remember(session.me);
  }
  if (app.me && wanted.name === 'sign-in') {
    // Signed in (Back after signing in, the invitation page's link): a sign-in form would look signed out, with no
    // "Sign out", while the browser is still this person's.
    history.replaceState(null, '', `#${wanted.returnTo ?? '/meetings'}`);
    await route();
    return;
  }
  if (app.me && wanted.name === 'room' && app.session?.meetingId === wanted.meetingId && app.room) {
    app.room.select(wanted.itemId);
    return;
  }
  // Every other screen takes the whole page: the room open in it is left first.
  await leaveRoom();
  if (!current()) return;
  if (wanted.name === 'invitation') {
    // Open to anyone holding the link: accepting it is how a newcomer gets an account.
    showTopbar();
    document.title = 'Invitation · BriefingRoom';
    await renderInvitation(main, {
      token: wanted.token,
      me: app.me,
      wanted: current,
      onAccepted: async (meetingId) => {
        const before = app.me?.id;
        remember(await Api.me());
        // Gone to another screen meanwhile: that one owns the page, and is drawn again only if accepting changed who is
        // signed in here (a newcomer's new account, or the invited account's password given in someone else's browser).
        if (!current()) {
          if (app.me?.id !== before) await route();
          return;
        }
        // Replace the address: the used link should not linger in the history.
        history.replaceState(null, '', `#/meetings/${meetingId}`);
        await route();
      },
    });
    return;
  }
  if (wanted.name === 'forgot-password' || wanted.name === 'reset-password') {
    // Open to anyone: a forgotten password is why they cannot sign in. Whoever is signed in here stays so until a
    // new password is saved, which signs this browser in as its account.
    showTopbar();
    document.title = 'New password · BriefingRoom';
    if (wanted.name === 'forgot-password') {
      renderForgotPassword(main, { email: wanted.email });
      return;
    }
    // The link holds a code that works once: not left in the history for the next person at this browser.
    history.replaceState(null, '', '#/reset-password');
    renderResetPassword(main, {
      email: wanted.email,
      code: wanted.code,
      onDone: async (email, password) => {
        await Api.signIn(email, password);
        remember(await Api.me());
        navigate('#/meetings');
      },
    });
    return;
  }
  if (!app.me) {
    const signIn = wanted.name === 'sign-in' ? wanted : { ended: false, returnTo: currentPath() };
    // Not signed in on a room's address (a reload after the session ended, a bookmark): the sign-in page's own
    // address remembers where to come back to, and survives another reload.
    if (wanted.name !== 'sign-in') history.replaceState(null, '', signInAddress({ returnTo: signIn.returnTo, ended: false }));
    const ended = signIn.ended || (!app.me && wasSignedIn());
    app.me = null;
    showTopbar();
    document.title = 'Sign in · BriefingRoom';
    renderSignIn(main, {
      notice: ended ? 'Your session ended — sign in again.' : null,
      returning: Boolean(signIn.returnTo && signIn.returnTo !== '/meetings'),
      onSignedIn: async () => {
        remember(await Api.me());
        navigate(`#${signIn.returnTo ?? '/meetings'}`);
      },
    });
    return;
  }
  if (wanted.name === 'account') {
    showTopbar();
    document.title = 'Your account · BriefingRoom';
    renderAccount(main, { me: app.me });
    return;
  }
  if (wanted.name === 'meetings') {
    showTopbar();
    document.title = 'Meetings · BriefingRoom';
    const notice = leftBecause;
    leftBecause = null;
    await renderMeetings(main, { notice, watch: watchMeetings, say: (text) => announcer.say(text), wanted: current });
    return;
  }
  const session = new RoomSession(wanted.meetingId, createConnection, { probeSignedIn });
  app.session = session;
  app.room = new RoomView(main, session, {
    announcer,
    itemId: wanted.itemId,
    onHeader: (state) => showTopbar(state, session),
    onSignedOut: (why) => { refusedByHub(why).catch(showFatal); },
    onFailed: () => {
      showTopbar();
      document.title = 'Meeting not opened · BriefingRoom';
    },
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

keepFocusThroughDisabling(document);
if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/meetings');
route().catch(showFatal);
