// Where to go after signing in: only a route of this app's own, written as a path ("/meetings/3/items/12"),
// never an address elsewhere, so that a crafted sign-in link cannot send a delegate to another site.

const LOCAL_ROUTE = /^\/(?:account|meetings(?:\/[1-9]\d{0,9}(?:\/items\/[1-9]\d{0,9})?)?)$/;

/** The path when it is one of the app's routes, else null. */
export function localReturnPath(value) {
  return typeof value === 'string' && LOCAL_ROUTE.test(value) ? value : null;
}

/** "#/sign-in?ended=1&return=%2Fmeetings%2F1": the sign-in address that comes back to `path`. */
export function signInAddress({ returnTo = null, ended = false } = {}) {
  const params = new URLSearchParams();
  if (ended) params.set('ended', '1');
  const path = localReturnPath(returnTo);
  if (path && path !== '/meetings') params.set('return', path);
  const query = params.toString();
  return query ? `#/sign-in?${query}` : '#/sign-in';
}
