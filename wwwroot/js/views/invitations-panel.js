import { Api, ApiError } from '../api.js';
import { h, instantText, markInvalid, replaceChildren, uid } from '../dom.js';
import { focusIsNowhere } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { RoleLabels, seatText, textOf } from '../labels.js';

const STATES = Object.freeze({ pending: 'Waiting', accepted: 'Accepted', expired: 'Expired', withdrawn: 'Withdrawn' });

/**
 * For the chair and the secretariat: invite someone to a seat (address, the name the room will see, role,
 * delegation), and see and withdraw the invitations. In Development without a mail server, the link is shown here
 * to be passed on by hand.
 */
export class InvitationsPanel {
  #session;
  #form;
  #result;
  #list;
  #delegation;
  #expiry = null;
  #reading = 0;

  constructor(session) {
    this.#session = session;
    const state = session.state;
    const id = uid('invite');
    const email = h('input', { id: `${id}-email`, name: 'email', type: 'email', required: true, autocomplete: 'off', spellcheck: 'false' });
    const name = h('input', {
      id: `${id}-name`, name: 'displayName', type: 'text', required: true, autocomplete: 'off',
      'aria-describedby': `${id}-name-help`, dataset: { describedBy: `${id}-name-help` },
    });
    const roles = ['delegate', 'observer', 'secretariat', ...(state.you.isAdmin ? ['chair'] : [])];
    const role = h('select', { id: `${id}-role`, name: 'role' }, roles.map((r) => h('option', { value: r }, textOf(RoleLabels, r))));
    const delegation = h('select', { id: `${id}-delegation`, name: 'delegationCode' });
    this.#delegation = delegation;
    this.updateDelegations();
    const fields = [email, name, role, delegation];
    const submit = h('button', { type: 'submit', class: 'button primary wide' }, icon('user'), 'Send the invitation');
    this.#result = h('div', { class: 'invite-result', role: 'status', tabindex: '-1' });
    this.#list = h('ul', { class: 'invitation-list', 'aria-label': 'Invitations' });
    this.#form = h('form', {
      class: 'invite-form',
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          for (const field of fields) markInvalid(field, null);
          if (!email.value.trim() || !name.value.trim()) {
            const empty = email.value.trim() ? name : email;
            markInvalid(empty, this.#say('Enter the address and the name the others will see.', 'error'));
            empty.focus();
            return;
          }
          submit.disabled = true;
          const sent = { email: email.value.trim(), displayName: name.value.trim() };
          try {
            const invitation = await Api.invite(state.meetingId, { ...sent, role: role.value, delegationCode: delegation.value || null });
            this.#shown(invitation);
            // The fields stay usable while it is sent: what was typed meanwhile, for the next invitation, is kept.
            if (email.value.trim() === sent.email) email.value = '';
            if (name.value.trim() === sent.displayName) name.value = '';
            await this.refresh();
          } catch (e) {
            const messages = e instanceof ApiError ? Object.values(e.errors).flat() : [];
            const said = this.#say(messages.length > 0 ? messages.join(' ') : (e instanceof ApiError && e.detail) || e.message, 'error');
            // The field the server named gets the keyboard, marked and described by why, so the inviter corrects it where it is.
            const named = e instanceof ApiError ? fields.filter((f) => Object.hasOwn(e.errors, f.name)) : [];
            for (const field of named) markInvalid(field, said);
            named[0]?.focus();
          } finally {
            submit.disabled = false;
          }
        },
      },
    },
    h('div', { class: 'field' }, h('label', { for: email.id }, 'E-mail address'), email),
    h('div', { class: 'field' }, h('label', { for: name.id }, 'Name the others will see'), name,
      h('span', { id: `${id}-name-help`, class: 'muted' }, 'For example "Austria – delegate". Never shown: the address.')),
    h('div', { class: 'field' }, h('label', { for: role.id }, 'Role'), role),
    h('div', { class: 'field' }, h('label', { for: delegation.id }, 'Delegation'), delegation),
    submit);

    this.element = h('section', { class: 'panel invitations', 'aria-labelledby': `${id}-title` },
      h('div', { class: 'panel-head' }, h('h2', { id: `${id}-title` }, 'Invite to a seat')),
      h('p', { class: 'panel-sub' }, 'A link goes to the address by e-mail; it works once, for a week.'),
      this.#form, this.#result, this.#list);
    this.refresh().catch(() => {});
  }

  /** The delegations the meeting has now: one added while the room is open can be invited to, one removed is no longer offered. */
  updateDelegations() {
    const select = this.#delegation;
    const chosen = select.value;
    replaceChildren(select, h('option', { value: '' }, 'None'),
      [...this.#session.state.participants.values()].map((p) => h('option', { value: p.delegationCode }, p.name)));
    select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
  }

  async refresh() {
    const meetingId = this.#session.state.meetingId;
    // Read again on every inviter's change: two readings may cross, and the older answer, come last, must not be drawn
    // over the newer one (an invitation just sent would vanish from the list).
    const reading = ++this.#reading;
    const answered = await Api.invitations(meetingId);
    if (reading !== this.#reading) return;
    // The server says "pending" until the link expires, and the list is read again only when something happens in the
    // room: left open, it went on saying "Waiting" and offering a withdrawal the server then refused. It is read again
    // at the next expiry, and one past due by this screen's clock shows as expired meanwhile.
    const now = Date.now();
    const invitations = answered.map((i) => (i.state === 'pending' && Date.parse(i.expiresAt) <= now ? { ...i, state: 'expired' } : i));
    const next = Math.min(...invitations.filter((i) => i.state === 'pending').map((i) => Date.parse(i.expiresAt)));
    clearTimeout(this.#expiry);
    this.#expiry = Number.isFinite(next) && next - now < 2 ** 31 - 1_000
      ? setTimeout(() => { if (this.#list.isConnected) this.refresh().catch(() => {}); }, next - now + 1_000)
      : null;
    // Drawn again whenever another inviter sends or withdraws one: the keyboard stays on the invitation it was on.
    const focused = this.#list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.invitationId : undefined;
    replaceChildren(this.#list, invitations.map((i) => h('li', { dataset: { invitationId: String(i.id) } },
      h('span', { class: 'invitation-who' }, i.displayName),
      i.state === 'pending'
        ? h('button', {
          type: 'button',
          class: 'button small quiet',
          'aria-label': `Withdraw the invitation of ${i.displayName}`,
          on: {
            click: async (event) => {
              const button = event.currentTarget;
              try {
                await Api.withdrawInvitation(meetingId, i.id);
                this.#say(`The invitation of ${i.displayName} is withdrawn: its link no longer works.`);
                await this.refresh();
              } catch (e) {
                this.#say(e.message, 'error');
              }
              // The button goes with the invitation it withdrew: the focus stays in the panel, on what happened.
              if (!button.isConnected && focusIsNowhere()) this.#result.focus();
            },
          },
        }, 'Withdraw')
        : h('span', {}),
      h('span', { class: 'invitation-meta' },
        `${i.email} · ${seatText(i)} · ${i.state === 'pending' ? `Waiting, until ${instantText(i.expiresAt, { brief: true })}` : STATES[i.state] ?? i.state} · sent by ${i.createdBy}`))));
    if (focused !== undefined && focusIsNowhere()) {
      // Its "Withdraw" again; gone with its withdrawal (by someone else), the panel's status line, as after one's own.
      (this.#list.querySelector(`li[data-invitation-id="${focused}"] button`) ?? this.#result).focus();
    }
  }

  #shown(invitation) {
    if (!invitation.link) {
      this.#say(`Invitation sent to ${invitation.email}.`);
      return;
    }
    const label = uid('invite-link');
    replaceChildren(this.#result,
      h('p', {}, icon('info'), ` No e-mail was sent (no mail server in Development). Give ${invitation.displayName} this link:`),
      h('label', { for: label, class: 'visually-hidden' }, `Invitation link for ${invitation.displayName}`),
      h('input', { id: label, class: 'invite-link', type: 'text', readOnly: true, value: invitation.link, on: { focus: (e) => e.target.select() } }));
  }

  /** Says what happened in the panel's status line; returns the words, for a field they are about to be described by. */
  #say(message, tone = 'info') {
    const said = h('p', { id: uid('invite-said'), class: tone === 'error' ? 'form-error' : '' }, message);
    replaceChildren(this.#result, said);
    return said;
  }
}
