// The silence procedure on an item, for members: a banner with the deadline and a live countdown while it runs,
// "Break silence" with a reason for a member state's delegation, who broke it and why once it is broken (what the
// chair needs), and for the chair: open one with a deadline, or cancel it. Guests take no part and see nothing here.

import { h, instantText, markInvalid, replaceChildren, uid } from '../dom.js';
import { HeldWhileBusy } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { SilenceApi, agreedBySilenceText, countdown, deadlinePassed, localZone, mayBreakSilence, newerSilence } from '../silence.js';

const DAY = 24 * 60 * 60 * 1000;
const CANCEL_QUESTION = 'Cancel the silence procedure? The draft will not be agreed by silence and moves again. This cannot be undone: to try again, open a new procedure with a new deadline.';

export class SilencePanel {
  #session;
  #itemId;
  #onChange;
  #body;
  #status;
  #timer = null;
  #countdown = null;
  #disposed = false;
  #drawn = null;
  #busy = false;
  #held = new HeldWhileBusy();
  /** Added to this screen's clock to read the server's (silence.js serverClockOffset): the deadline is the server's. */
  #offset = 0;

  /** @param {() => void} onChange called when the procedure's state changed here (the editor freezes or thaws). */
  constructor(session, itemId, onChange) {
    this.#session = session;
    this.#itemId = itemId;
    this.#onChange = onChange;
    const id = uid('silence');
    this.#body = h('div', { class: 'silence-body' });
    this.#status = h('p', { class: 'silence-status small', role: 'status', id: uid('silence-status') });
    const member = !isGuest(session.state);
    this.element = h('section', { class: 'silence', 'aria-labelledby': `${id}-title`, hidden: !member },
      h('h3', { id: `${id}-title`, class: 'visually-hidden' }, 'Silence procedure'),
      this.#body,
      this.#status);
    if (member) this.#load();
  }

  async #load() {
    const state = this.#session.state;
    try {
      const { silences: all, offset } = await SilenceApi.listWithClock(state.meetingId);
      if (this.#disposed) return;
      if (offset !== this.#offset) {
        this.#offset = offset;
        // A countdown drawn on this screen's own clock is drawn again on the server's.
        this.#drawn = null;
      }
      let changed = false;
      for (const silence of all) {
        const known = state.silences.get(silence.itemId);
        const newer = newerSilence(known, silence);
        if (newer !== known) {
          state.silences.set(silence.itemId, newer);
          changed = true;
        }
      }
      if (changed) this.#onChange();
      else this.update();
    } catch (error) {
      if (!this.#disposed) this.#status.textContent = error.message;
    }
  }

  update() {
    if (this.#disposed || this.element.hidden) return;
    const state = this.#session.state;
    const item = state.items.get(this.#itemId);
    const silence = state.silences.get(this.#itemId) ?? null;
    const you = state.you;
    // Redrawn only when something it shows moved: a reason being typed survives other changes to the room.
    // Whether this delegation may break silence moves too: its voting rights suspended (or restored) meanwhile.
    // (Its stance on the item does not: positions are frozen while the procedure runs.)
    const key = `${silence?.id}:${silence?.state}:${item?.status}:${Boolean(item?.lock)}:${state.closed}:${mayBreakSilence(state, this.#itemId)}`;
    if (key === this.#drawn) return;
    this.#drawn = key;
    // What the keyboard was on is about to be redrawn away: it goes to what takes its place, not to the top of the page.
    const hadFocus = this.#body.contains(document.activeElement);
    this.#draw(state, item, silence, you);
    // The room's event can come before the server's answer: what it draws waits for that answer too.
    if (this.#busy) this.#held.hold(this.#body);
    if (hadFocus) this.#keepFocus();
  }

  /** The server's time now, as far as this screen can tell. */
  #now() {
    return Date.now() + this.#offset;
  }

  #keepFocus() {
    if (!this.#body.contains(document.activeElement)) this.#body.querySelector('[tabindex="-1"]')?.focus();
  }

  #draw(state, item, silence, you) {
    clearInterval(this.#timer);
    this.#timer = null;
    this.#countdown = null;
    if (silence?.state === 'open') {
      if (deadlinePassed(silence.deadline, this.#now())) {
        this.#drawDeadlinePassed(silence);
        return;
      }
      this.#countdown = h('strong', { class: 'silence-countdown', 'aria-live': 'off' }, countdown(silence.deadline, this.#now()));
      this.#timer = setInterval(() => {
        if (!this.#countdown) return;
        if (!deadlinePassed(silence.deadline, this.#now())) {
          this.#countdown.textContent = countdown(silence.deadline, this.#now());
          return;
        }
        // "0 s left" with "Break silence" still offered, until the server's conclusion arrives, was a promise the
        // server refuses: past the deadline nobody breaks or cancels. What is left is to wait for the outcome.
        const hadFocus = this.#body.contains(document.activeElement);
        this.#drawDeadlinePassed(silence);
        if (hadFocus) this.#keepFocus();
      }, 1000);
      replaceChildren(this.#body, banner(
        [` The draft and the positions are frozen as they were put to silence. Unless a member delegation breaks silence, the item is agreed at ${instantText(silence.deadline)}: `,
          this.#countdown, ' left.'],
        mayBreakSilence(state, this.#itemId) ? this.#breakForm() : null,
        you.canManageAgenda ? h('button', { type: 'button', class: 'button small quiet silence-cancel', on: { click: () => this.#cancel() } }, icon('cross'), 'Cancel the procedure') : null));
      return;
    }
    const last = silence ? this.#outcome(silence, item) : null;
    // A closed meeting changes nothing (the server refuses): the chair reopens it first.
    const canOpen = you.canManageAgenda && item && !state.closed && !item.lock && item.status !== 'agreed' && item.status !== 'coalition';
    replaceChildren(this.#body, last, canOpen ? this.#openForm() : null);
  }

  /** Between the deadline and the server's conclusion (a moment, or longer with this screen's clock ahead). */
  #drawDeadlinePassed(silence) {
    clearInterval(this.#timer);
    this.#timer = null;
    this.#countdown = null;
    replaceChildren(this.#body,
      banner([` The deadline, ${instantText(silence.deadline)}, has passed: silence can no longer be broken, and the outcome is on its way.`]));
  }

  dispose() {
    this.#disposed = true;
    clearInterval(this.#timer);
  }

  #outcome(silence, item) {
    const at = silence.closedAt ? instantText(silence.closedAt) : '';
    switch (silence.state) {
      case 'broken':
        return h('p', { class: 'silence-outcome silence-broken', tabindex: '-1' }, icon('alert'), ' ',
          h('strong', {}, `Silence was broken by ${silence.break?.delegation ?? 'a delegation'}`),
          ` (${silence.break?.by ?? ''}, ${at}): `, h('q', { class: 'silence-reason' }, silence.break?.reason ?? ''));
      case 'agreed':
        return h('p', { class: 'silence-outcome', tabindex: '-1' }, icon('check'), ` ${agreedBySilenceText(item?.status, at)}`);
      case 'cancelled':
        return h('p', { class: 'silence-outcome muted', tabindex: '-1' }, `The chair cancelled the silence procedure at ${at}.`);
      default:
        return null;
    }
  }

  #breakForm() {
    const reason = h('textarea', { class: 'silence-reason-input', rows: '2', maxlength: '2000', required: true, 'aria-label': 'Why your delegation breaks silence' });
    // Pressed by mistake, the form goes away again (Escape, or "Keep silence"), and the keyboard goes back to the toggle.
    const putAway = () => { form.hidden = true; open.hidden = false; open.focus(); };
    const form = h('form', {
      class: 'silence-break', hidden: true,
      on: {
        submit: (event) => { event.preventDefault(); this.#break(reason); },
        keydown: (event) => { if (event.key === 'Escape' && !this.#busy) { event.preventDefault(); putAway(); } },
      },
    }, reason, h('button', { type: 'submit', class: 'button small danger' }, 'Break silence now'),
    h('button', { type: 'button', class: 'button small quiet', on: { click: () => { if (!this.#busy) putAway(); } } }, 'Keep silence'));
    const open = h('button', {
      type: 'button', class: 'button small danger silence-break-toggle',
      on: { click: () => { form.hidden = false; open.hidden = true; reason.focus(); } },
    }, icon('alert'), 'Break silence');
    return h('div', {}, open, form);
  }

  #openForm() {
    const when = new Date(this.#now() + DAY);
    when.setSeconds(0, 0);
    const local = new Date(when.getTime() - when.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    const deadline = h('input', { type: 'datetime-local', class: 'silence-deadline', value: local, required: true, 'aria-label': `Deadline of the silence procedure, ${localZone()} time` });
    return h('form', {
      class: 'silence-open',
      on: { submit: (event) => { event.preventDefault(); this.#open(deadline); } },
    }, h('span', {}, 'Put the draft to silence until'), deadline,
    h('span', { class: 'muted small' }, `(${localZone()} time)`),
    h('button', { type: 'submit', class: 'button small' }, icon('clock'), 'Open silence procedure'));
  }

  async #open(input) {
    const deadline = new Date(input.value);
    if (Number.isNaN(deadline.getTime())) {
      this.#status.textContent = 'Choose a deadline.';
      markInvalid(input, this.#status);
      input.focus();
      return;
    }
    const failed = await this.#run(async () => {
      // The server puts the draft to silence as it has it, and refuses every edit after: words typed just before the
      // press, still on their way, would be left out of the text put to silence and then lost. It opens once they arrive.
      const documentId = `draft:${this.#itemId}`;
      if (this.#session.state.texts.get(documentId)?.hasPending) {
        this.#status.textContent = 'Opening once your last words have reached the server…';
        if (!await this.#session.settled(documentId)) {
          throw new Error('Not opened: your last words have not reached the server, and the draft would be put to silence without them. Open it again once the draft says all changes are saved.');
        }
        if (this.#disposed) throw new Error('Not opened.');
      }
      return SilenceApi.open(this.#session.state.meetingId, this.#itemId, deadline.toISOString());
    }, 'The draft is under silence.');
    // A deadline the server refused (too soon, too far) is marked on the field, which a screen reader then reads with the reason.
    if (input.isConnected) {
      const refused = Boolean(failed?.errors?.deadline);
      markInvalid(input, refused ? this.#status : null);
      if (refused) input.focus();
    }
  }

  async #break(input) {
    const reason = input.value.trim();
    if (!reason) {
      this.#status.textContent = 'Say why your delegation breaks silence.';
      return;
    }
    await this.#run(() => SilenceApi.breakSilence(this.#session.state.meetingId, this.#itemId, reason), 'Your delegation broke silence.');
  }

  async #cancel() {
    // Cancelling cannot be undone: the deadline is gone, and putting the draft to silence again starts a new
    // procedure that every capital must be told of. A slip of the mouse must not end it.
    if (this.#busy || !globalThis.confirm(CANCEL_QUESTION)) return;
    await this.#run(() => SilenceApi.cancel(this.#session.state.meetingId, this.#itemId), 'The procedure is cancelled.');
  }

  async #run(action, done) {
    // One action at a time: the second press of a double click reached the server after the first had broken (or
    // opened, or cancelled) the procedure, and its refusal ("already broken by …") was shown over the first's success.
    if (this.#busy) return;
    this.#busy = true;
    // Read before the buttons are disabled, which takes the focus off the one pressed.
    const focused = this.#body.contains(document.activeElement);
    this.#held.hold(this.#body);
    try {
      const silence = await action();
      const state = this.#session.state;
      state.silences.set(this.#itemId, newerSilence(state.silences.get(this.#itemId), silence));
      this.#status.textContent = done;
      this.#onChange();
      // Whether the room's event or this answer redrew the panel, the button pressed has gone.
      if (focused) this.#keepFocus();
    } catch (error) {
      this.#status.textContent = error.message;
      return error;
    } finally {
      this.#busy = false;
      this.#held.release();
    }
    return null;
  }
}

function isGuest(state) {
  const code = state.you?.delegationCode;
  return code != null && state.participants.get(code)?.kind === 'guest' && state.you.role !== 'chair';
}

/** The banner of a running procedure: what it says after "Silence procedure.", then the controls it offers. */
function banner(words, ...controls) {
  return h('div', { class: 'silence-banner', role: 'region', 'aria-label': 'Silence procedure running', tabindex: '-1' },
    h('p', {}, icon('clock'), ' ', h('strong', {}, 'Silence procedure.'), ...words),
    ...controls);
}
