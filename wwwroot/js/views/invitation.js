import { Api, ApiError } from '../api.js';
import { formatDate, h, instantText, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { RoleLabels, textOf } from '../labels.js';
import { PASSWORD_RULES, authCard } from './password.js';

/**
 * The page an invitation link opens: what the seat is, then a password to choose (a new account), the account's
 * own password (an existing one), or one button when already signed in as the invited account.
 * `wanted()`: false once another screen was asked for while the invitation was on its way; that screen owns the page then.
 */
export async function renderInvitation(main, { token, me, onAccepted, wanted = () => true }) {
  replaceChildren(main, h('p', { class: 'loading', role: 'status' }, 'Opening your invitation…'));
  let invitation;
  try {
    invitation = await Api.previewInvitation(token);
  } catch (error) {
    if (!wanted()) return;
    card(main, 'This invitation cannot be used', [
      h('p', { class: 'form-error', role: 'alert' }, error instanceof ApiError && error.detail ? error.detail : `Could not open the invitation: ${error.message}`),
      h('p', {}, h('a', { href: '#/sign-in' }, 'Go to the sign-in page')),
    ]);
    return;
  }
  // Another screen asked for while the invitation was on its way owns the page.
  if (!wanted()) return;

  const seat = invitation.delegationName
    ? `${textOf(RoleLabels, invitation.role)}, ${invitation.delegationName}`
    : textOf(RoleLabels, invitation.role);
  const signedInAsInvited = me && me.email?.toLowerCase() === invitation.email.toLowerCase();
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fields = [];
  let password = null;
  let repeat = null;
  if (!signedInAsInvited) {
    // The address as a username field, so that a password manager files the new password under it.
    fields.push(h('div', { class: 'field' },
      h('label', { for: 'invited-email' }, 'E-mail address'),
      h('input', { id: 'invited-email', type: 'email', value: invitation.email, readOnly: true, autocomplete: 'username' })));
    password = h('input', {
      id: 'invited-password', type: 'password', required: true, 'aria-describedby': 'invited-password-help',
      autocomplete: invitation.hasAccount ? 'current-password' : 'new-password',
    });
    fields.push(h('div', { class: 'field' },
      h('label', { for: 'invited-password' }, invitation.hasAccount ? 'Your password' : 'Choose a password'),
      password,
      h('p', { id: 'invited-password-help', class: 'muted' }, invitation.hasAccount
        ? 'You already have a BriefingRoom account with this address: its password accepts the invitation.'
        : PASSWORD_RULES)));
    if (!invitation.hasAccount) {
      repeat = h('input', { id: 'invited-repeat', type: 'password', required: true, autocomplete: 'new-password' });
      fields.push(h('div', { class: 'field' }, h('label', { for: 'invited-repeat' }, 'The same password again'), repeat));
    }
  }
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Accept and enter the meeting');

  const form = h('form', {
    class: 'sign-in-form',
    novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        if (password && !password.value) return fail('Enter a password.', password);
        if (repeat && repeat.value !== password.value) return fail('The two passwords differ: type the same one twice.', repeat);
        submit.disabled = true;
        submit.textContent = 'Accepting…';
        try {
          const accepted = await Api.acceptInvitation(token, password?.value);
          await onAccepted(accepted.meetingId);
        } catch (e) {
          const messages = e instanceof ApiError ? Object.values(e.errors).flat() : [];
          fail(messages.length > 0 ? messages.join(' ') : (e instanceof ApiError && e.detail) || `Could not accept: ${e.message}`, password);
        } finally {
          submit.disabled = false;
          submit.textContent = 'Accept and enter the meeting';
        }
        return undefined;
      },
    },
  }, fields, error, submit);

  function fail(message, focus) {
    error.textContent = message;
    error.hidden = false;
    focus?.focus();
  }

  card(main, `You are invited to ${invitation.meetingTitle}`, [
    h('dl', { class: 'invitation-facts' },
      h('dt', {}, 'Meeting'), h('dd', {}, `${invitation.documentNumber}, ${formatDate(invitation.meetingDate)}`),
      h('dt', {}, 'Your seat'), h('dd', {}, seat),
      h('dt', {}, 'Others see you as'), h('dd', {}, invitation.displayName),
      h('dt', {}, 'Invited by'), h('dd', {}, invitation.invitedBy),
      h('dt', {}, 'Valid until'), h('dd', {}, instantText(invitation.expiresAt))),
    me && !signedInAsInvited
      ? h('p', { class: 'muted' }, icon('info'), ` You are signed in as ${me.email}; this invitation is for ${invitation.email}.`)
      : null,
    form,
  ]);
  (password ?? submit).focus();
}

function card(main, title, children) {
  authCard(main, 'invitation-title', title, children);
}
