import { Api, ApiError } from '../api.js';
import { h, markInvalid, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';

/**
 * The sign-in form: e-mail and password, with a cookie session (HttpOnly, SameSite=Strict).
 * notice: why the person is here again ("Your session ended — sign in again."); returning: they will be taken
 * back to the item they were on.
 */
export function renderSignIn(main, { onSignedIn, notice = null, returning = false }) {
  const error = h('p', { id: 'sign-in-error', class: 'form-error', role: 'alert', hidden: true });
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');

  const form = h('form', {
    class: 'sign-in-form',
    novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        for (const field of [email, password]) markInvalid(field, null);
        const empty = [email, password].filter((field) => !field.value);
        if (empty.length > 0) {
          // The field left empty is named, and marked: the focus goes to it, and a screen reader reads it with the words.
          showError(empty.length === 2 ? 'Enter your e-mail address and your password.'
            : empty[0] === email ? 'Enter your e-mail address.' : 'Enter your password.');
          for (const field of empty) markInvalid(field, error);
          empty[0].focus();
          return;
        }
        submit.disabled = true;
        submit.textContent = 'Signing in…';
        try {
          await Api.signIn(email.value.trim(), password.value);
          password.value = '';
          await onSignedIn();
        } catch (e) {
          // 401 and 429 carry the server's own words: a wrong password, or too many of them from here.
          showError(e instanceof ApiError && (e.status === 401 || e.status === 429) && e.detail
            ? e.detail
            : `Could not sign in: ${e.message}`);
          // "The address and the password do not match" is about both fields: each says so to a screen reader.
          if (e instanceof ApiError && e.status === 401) for (const field of [email, password]) markInvalid(field, error);
          password.focus();
        } finally {
          submit.disabled = false;
          submit.textContent = 'Sign in';
        }
      },
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'email' }, 'E-mail address'), email),
  h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
  error,
  submit,
  h('p', { class: 'sign-in-aside' }, h('a', { href: '#/forgot-password', on: { click: (event) => {
    // The address already typed goes along, so that it need not be typed again.
    if (email.value.trim()) {
      event.preventDefault();
      location.hash = `#/forgot-password?email=${encodeURIComponent(email.value.trim())}`;
    }
  } } }, 'Forgot your password?')));

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  replaceChildren(main,
    h('section', { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
      h('div', { class: 'sign-in-card' },
        h('div', { class: 'sign-in-brand' }, icon('shield', { size: 28 }), h('span', {}, 'BriefingRoom')),
        h('h1', { id: 'sign-in-title' }, 'Sign in to the briefing room'),
        notice
          ? h('div', { class: 'sign-in-notice', role: 'alert' }, icon('alert'),
            h('div', {},
              h('p', { class: 'sign-in-notice-title' }, notice),
              h('p', {}, returning
                ? 'You will be taken back to where you were. Anything you had typed and not saved is kept and offered back there.'
                : 'Anything you had typed and not saved is kept and offered back on its item.')))
          : h('p', { class: 'muted' }, 'For delegations, the chair and the General Secretariat of the Council.'),
        form)));
  email.focus();
}
