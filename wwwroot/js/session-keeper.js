// Keeps a working delegate signed in. The sign-in cookie lasts a working day (14 hours) and slides: a request in the
// second half of its life renews it. Typing goes over the hub's WebSocket, which carries the cookie only as it opens,
// so a delegate who did nothing but type through an all-night session would be signed out at the fourteenth hour,
// mid-sentence. While the person is at work (a key, a click, a touch or a composed character since the last look),
// the page asks the server who it is every few minutes: a signed-in request, which renews the cookie once it is due
// (Identity/SessionExpiryTests). With nobody at the keyboard nothing is sent, and an unattended page still expires.

export const RENEW_EVERY_MS = 10 * 60 * 1000;

const ACTIVITY = Object.freeze(['keydown', 'pointerdown', 'input', 'compositionend']);

/**
 * Starts looking; returns the function that stops it.
 * @param {{renew: () => unknown, target?: EventTarget, every?: number,
 *          timers?: {setInterval: typeof setInterval, clearInterval: typeof clearInterval}}} options
 *   `renew` makes the signed-in request (a 401 ends the session through the API's own 'unauthorized' event); a
 *   failure (offline, say) leaves the person counted as at work, so the next look tries again.
 */
export function keepSession({ renew, target = globalThis.document, every = RENEW_EVERY_MS, timers = globalThis }) {
  let atWork = false;
  const seen = () => { atWork = true; };
  for (const type of ACTIVITY) target.addEventListener(type, seen, { capture: true, passive: true });
  const timer = timers.setInterval(() => {
    if (!atWork) return;
    atWork = false;
    Promise.resolve().then(renew).catch(() => { atWork = true; });
  }, every);
  return () => {
    timers.clearInterval(timer);
    for (const type of ACTIVITY) target.removeEventListener(type, seen, { capture: true });
  };
}
