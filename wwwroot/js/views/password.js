import { Api, ApiError } from '../api.js';
import { h, markInvalid, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';

/** What the server asks of a new password, said before it is typed. */
export const PASSWORD_RULES = 'At least 10 characters, with a capital letter, a small letter, a digit and a sign.';

/** The card of the pages a signed-out person sees: sign-in, an invitation, a forgotten password. */
export function authCard(main, titleId, title, children) {
  replaceChildren(main,
    h('section', { class: 'sign-in', 'aria-labelledby': titleId },
      h('div', { class: 'sign-in-card' },
        h('div', { class: 'sign-in-brand' }, icon('shield', { size: 28 }), h('span', {}, 'BriefingRoom')),
        h('h1', { id: titleId }, title),
        children)));
}

/** A new password typed twice, with the rules under the first; `check()` says what is wrong before anything is sent. */
function newPasswordFields(prefix) {
  const password = h('input', { id: `${prefix}-new`, type: 'password', required: true, autocomplete: 'new-password', 'aria-describedby': `${prefix}-new-help`, dataset: { describedBy: `${prefix}-new-help` } });
  const repeat = h('input', { id: `${prefix}-repeat`, type: 'password', required: true, autocomplete: 'new-password' });
  return {
    password,
    repeat,
    fields: [
      h('div', { class: 'field' }, h('label', { for: `${prefix}-new` }, 'New password'), password,
        h('p', { id: `${prefix}-new-help`, class: 'muted' }, PASSWORD_RULES)),
      h('div', { class: 'field' }, h('label', { for: `${prefix}-repeat` }, 'The new password again'), repeat),
    ],
    check() {
      if (!password.value) return { message: 'Enter the new password.', focus: password };
      if (repeat.value !== password.value) return { message: 'The two new passwords differ: type the same one twice.', focus: repeat };
      return null;
    },
  };
}

/**
 * A form's error line, and how to show a refusal in it: the server's words for each field, else its detail. The field
 * the words are about is marked invalid and described by them (its own help kept), so that a screen reader reads them
 * on it; the marks go when the line does.
 */
function errorLine(id) {
  const line = h('p', { id, class: 'form-error', role: 'alert', hidden: true });
  const marked = new Set();
  return {
    line,
    /** Shows `message`, marks `field` (the focused one unless said otherwise; null for none) and focuses `focus`. */
    show(message, focus, field = focus) {
      line.textContent = message;
      line.hidden = false;
      if (field) {
        marked.add(field);
        markInvalid(field, line);
      }
      focus?.focus();
    },
    hide() {
      line.hidden = true;
      for (const field of marked) markInvalid(field, null);
      marked.clear();
    },
    /** The field the server named first, and its words. */
    refusal(e, fallback) {
      const fields = e instanceof ApiError ? Object.entries(e.errors ?? {}) : [];
      if (fields.length > 0) return { field: fields[0][0], message: fields.flatMap(([, m]) => m).join(' ') };
      return { field: null, message: (e instanceof ApiError && e.detail) || `${fallback}: ${e.message}` };
    },
  };
}

/** A form of these pages: the browser's own validation off (the page says what is wrong), the error line cleared on each try. */
function authForm(error, onSubmit, children) {
  return h('form', {
    class: 'sign-in-form',
    novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        error.hide();
        await onSubmit();
      },
    },
  }, children);
}

/** Runs `work` with the button showing that it is under way, and gives the button back however it ends. */
async function pressing(button, busyText, work) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

/** "Forgot your password?": the address, and a letter with a link sent to it. The answer is the same for any address. */
export function renderForgotPassword(main, { email: given = '' } = {}) {
  const error = errorLine('forgot-error');
  const email = h('input', { id: 'forgot-email', type: 'email', autocomplete: 'username', required: true, spellcheck: 'false', value: given });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Send me a link');
  const form = authForm(error, async () => {
    if (!email.value.trim()) return error.show('Enter your e-mail address.', email);
    return pressing(submit, 'Sending…', async () => {
      try {
        await Api.forgotPassword(email.value.trim());
      } catch (e) {
        const { field, message } = error.refusal(e, 'Could not ask for a link');
        error.show(message, email, field === 'email' ? email : null);
        return;
      }
      const sent = h('div', { class: 'sign-in-notice good', role: 'status', tabindex: '-1' }, icon('check'),
        h('div', {},
          h('p', { class: 'sign-in-notice-title' }, `If ${email.value.trim()} has a BriefingRoom account, a link to choose a new password is on its way to it.`),
          h('p', {}, 'It works once, for an hour. No letter after a few minutes? Look in the spam folder, or ask again in two minutes.')));
      form.replaceWith(sent, h('p', { class: 'sign-in-aside' }, h('a', { href: '#/sign-in' }, 'Back to sign-in')));
      sent.focus();
    });
  }, [
    h('div', { class: 'field' }, h('label', { for: 'forgot-email' }, 'E-mail address'), email),
    error.line, submit,
    h('p', { class: 'sign-in-aside' }, h('a', { href: '#/sign-in' }, 'Back to sign-in')),
  ]);

  authCard(main, 'forgot-title', 'Choose a new password', [
    h('p', { class: 'muted' }, 'Give the address of your account: a link to choose a new password will be sent to it.'),
    form,
  ]);
  email.focus();
}

/** The page a reset link opens: the new password, then signed in with it. */
export function renderResetPassword(main, { email, code, onDone }) {
  const error = errorLine('reset-error');
  const fresh = newPasswordFields('reset');
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Save the new password and sign in');
  const form = authForm(error, async () => {
    const wrong = fresh.check();
    if (wrong) return error.show(wrong.message, wrong.focus);
    return pressing(submit, 'Saving…', async () => {
      try {
        await Api.resetPassword(email, code, fresh.password.value);
      } catch (e) {
        const { field, message } = error.refusal(e, 'Could not save the new password');
        if (field === 'resetCode') {
          // The link is spent: nothing typed here can help, only a new link. The focus, in the form taken away, goes to
          // the words, whose next Tab is the way on.
          const spent = h('div', { class: 'sign-in-notice', role: 'alert', tabindex: '-1' }, icon('alert'),
            h('div', {}, h('p', { class: 'sign-in-notice-title' }, message),
              h('p', {}, h('a', { href: `#/forgot-password?email=${encodeURIComponent(email)}` }, 'Ask for a new link'))));
          form.replaceWith(spent);
          spent.focus();
          return;
        }
        error.show(message, fresh.password, field === 'newPassword' ? fresh.password : null);
        return;
      }
      const password = fresh.password.value;
      fresh.password.value = '';
      fresh.repeat.value = '';
      try {
        await onDone(email, password);
      } catch (e) {
        // The password is saved whatever happened to the sign-in that follows (offline a moment, held back): said so.
        const saved = h('div', { class: 'sign-in-notice good', role: 'status', tabindex: '-1' }, icon('check'),
          h('div', {}, h('p', { class: 'sign-in-notice-title' }, 'Your new password is saved.'),
            h('p', {}, `Signing in with it did not work just now (${e.message}): `, h('a', { href: '#/sign-in' }, 'sign in'))));
        form.replaceWith(saved);
        saved.focus();
      }
    });
  }, [
    // The address as a username field, so that a password manager files the new password under it.
    h('div', { class: 'field' }, h('label', { for: 'reset-email' }, 'E-mail address'),
      h('input', { id: 'reset-email', type: 'email', value: email, readOnly: true, autocomplete: 'username' })),
    fresh.fields, error.line, submit,
  ]);

  authCard(main, 'reset-title', 'Choose a new password', [
    h('p', { class: 'muted' }, 'Every browser and device signed in with your old password will be signed out.'),
    form,
  ]);
  fresh.password.focus();
}

/** The signed-in person's account: who they are, and a form to change the password. */
export function renderAccount(main, { me }) {
  const error = errorLine('account-error');
  const current = h('input', { id: 'account-current', type: 'password', required: true, autocomplete: 'current-password' });
  const fresh = newPasswordFields('account');
  const done = h('div', { class: 'sign-in-notice good', role: 'status', tabindex: '-1', hidden: true }, icon('check'),
    h('div', {},
      h('p', { class: 'sign-in-notice-title' }, 'Your password is changed.'),
      h('p', {}, 'Every other browser and device signed in with the old password has been signed out; this one stays signed in.')));
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Change password');
  const fields = { currentPassword: current, newPassword: fresh.password };
  const form = authForm(error, async () => {
    done.hidden = true;
    if (!current.value) return error.show('Enter your current password.', current);
    const wrong = fresh.check();
    if (wrong) return error.show(wrong.message, wrong.focus);
    return pressing(submit, 'Changing…', async () => {
      try {
        await Api.changePassword(current.value, fresh.password.value);
      } catch (e) {
        const { field, message } = error.refusal(e, 'Could not change the password');
        error.show(message, fields[field] ?? current, fields[field] ?? null);
        return;
      }
      for (const input of [current, fresh.password, fresh.repeat]) input.value = '';
      done.hidden = false;
      done.focus();
    });
  }, [
    h('input', { type: 'email', value: me.email, readOnly: true, autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: '-1' }),
    h('div', { class: 'field' }, h('label', { for: 'account-current' }, 'Current password'), current),
    fresh.fields, error.line, done, submit,
  ]);

  authCard(main, 'account-title', 'Your account', [
    h('dl', { class: 'invitation-facts' },
      h('dt', {}, 'Signed in as'), h('dd', {}, me.email),
      h('dt', {}, 'Others see you as'), h('dd', {}, me.name)),
    h('h2', { class: 'account-heading' }, 'Change your password'),
    form,
    h('p', { class: 'sign-in-aside' }, h('a', { href: '#/meetings' }, 'Back to your meetings')),
  ]);
  current.focus();
}
