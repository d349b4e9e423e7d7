// The secretariat's (and chair's) exports: the conclusions and each coalition statement as a document of its own,
// in PDF or Word, each export one recipient's copy (the caller, or a member named here); progress, then the file,
// its hashes and its copy identifier. And the trace: a leaked file (or its identifier) in, whose copy it was out,
// in the server's words.

import { Api, ApiError } from '../api.js';
import { Formats, exportConclusions, exportStatement, fileNameFor, traceFile, traceIdentifier } from '../conclusions.js';
import { h, reconcile, replaceChildren, uid } from '../dom.js';
import { icon } from '../icons.js';
import { ItemStatusLabels, labelOf, roman } from '../labels.js';

const ROLE_NAMES = Object.freeze({ chair: 'Chair', secretariat: 'Secretariat', observer: 'Observer', delegate: 'Delegate' });

export class ExportPanel {
  #session;
  #format = 'pdf';
  #recipient;
  #conclusionsButton;
  #statements;
  #statementsSection;
  #progress;
  /** Counts the exports run: the progress bar of one is hidden only if no other started since. */
  #runs = 0;
  #result;
  #traceResult;
  #busy = false;
  #url = null;
  #recipientsAsked = 0;
  /** One row per coalition item: its element and how to bring it up to date. */
  #rows = new Map();

  constructor(session) {
    this.#session = session;
    const id = uid('export');
    const radios = Object.entries(Formats).map(([value, format]) => {
      const input = h('input', { type: 'radio', name: `${id}-format`, id: `${id}-${value}`, value, checked: value === this.#format,
        on: { change: () => { this.#format = value; } } });
      return h('span', { class: 'choice' }, input, h('label', { for: input.id }, format.label));
    });
    this.#recipient = h('select', { id: `${id}-recipient`, 'aria-describedby': `${id}-recipient-hint` },
      h('option', { value: '' }, `You (${session.state.you.name})`));
    this.#conclusionsButton = h('button', { type: 'button', class: 'button primary wide', on: { click: () => this.#exportConclusions() } },
      icon('download'), 'Export conclusions');
    this.#statements = h('ul', { class: 'statement-list', 'aria-labelledby': `${id}-statements` });
    this.#statementsSection = h('section', { class: 'export-statements', 'aria-labelledby': `${id}-statements`, hidden: true },
      h('h3', { id: `${id}-statements` }, 'Separate statements'),
      h('p', { class: 'panel-sub' }, 'A coalition statement goes out as a document of its own; the conclusions refer to it by its number.'),
      this.#statements);
    this.#progress = h('progress', { class: 'export-progress', max: 100, hidden: true, 'aria-label': 'Export progress' });
    this.#result = h('div', { class: 'export-result', role: 'status' });
    this.#traceResult = h('div', { class: 'trace-result', role: 'status' });

    this.element = h('section', { class: 'panel export', 'aria-labelledby': `${id}-title` },
      h('div', { class: 'panel-head' }, h('h2', { id: `${id}-title` }, 'Documents')),
      h('p', { class: 'panel-sub' }, 'Each export is a copy for one recipient: their name is on every page, and the copy can be traced if it leaks.'),
      h('div', { class: 'export-options' },
        h('fieldset', { class: 'export-format' }, h('legend', {}, 'Format'), radios),
        h('div', { class: 'export-recipient' },
          h('label', { for: this.#recipient.id }, 'Copy for'), this.#recipient,
          h('span', { id: `${id}-recipient-hint`, class: 'visually-hidden' }, 'The person whose name and delegation the copy carries.'))),
      // The result first, under the button that asked for it: not below the statements, out of sight.
      this.#conclusionsButton,
      this.#progress, this.#result,
      this.#statementsSection,
      this.#tracePanel(id));
    this.loadRecipients();
    this.update();
  }

  /** Coalition items come and go, and get their numbers: keep one row per statement. */
  update() {
    const state = this.#session.state;
    const statements = state.agenda().filter((item) => item.status === 'coalition');
    this.#statementsSection.hidden = statements.length === 0;
    reconcile(this.#statements, statements, (item) => String(item.id), (item) => this.#statementRow(item), (_, item) => this.#rows.get(item.id)?.(item));
    for (const id of [...this.#rows.keys()]) if (!statements.some((item) => item.id === id)) this.#rows.delete(id);
  }

  /**
   * The members a copy may be issued to, loaded again when a seat is granted or revoked (membership.* events): a
   * list kept from when the page opened offered people no longer in the meeting, and not those invited since.
   * The choice made stays while that person is still listed.
   */
  async loadRecipients() {
    const state = this.#session.state;
    const asked = (this.#recipientsAsked += 1);
    try {
      const members = await Api.memberships(state.meetingId);
      if (asked !== this.#recipientsAsked) return;
      const chosen = this.#recipient.value;
      const chosenName = this.#recipient.selectedOptions[0]?.textContent ?? '';
      const others = members.filter((m) => m.userId !== state.you.userId)
        .map((m) => h('option', { value: String(m.id) }, `${m.name} · ${m.delegationCode ? state.participants.get(m.delegationCode)?.name ?? m.delegationCode : ROLE_NAMES[m.role] ?? m.role}`));
      replaceChildren(this.#recipient, this.#recipient.options[0], ...others);
      const stillThere = others.some((o) => o.value === chosen);
      this.#recipient.value = stillThere ? chosen : '';
      // Falling back to "You" without a word, the next export would be a copy in the exporter's own name, taken for
      // the one chosen: the panel says so.
      if (chosen && !stillThere) {
        replaceChildren(this.#result, h('p', { class: 'form-error' }, icon('alert'),
          ` ${chosenName} no longer holds a seat: the next copy is yours unless you choose someone else under "Copy for".`));
      }
    } catch {
      // Without the list the copy is the caller's own, which is the default anyway.
    }
  }

  #statementRow(item) {
    const state = this.#session.state;
    const id = uid('statement');
    const title = h('span', { class: 'statement-title' });
    const number = h('span', { class: 'statement-number' });
    const exportButton = h('button', { type: 'button', class: 'button small', on: { click: () => this.#exportStatement(item.id) } });
    const numberInput = h('input', { id: `${id}-number`, type: 'text', maxlength: 200, required: true, placeholder: 'EUCO 10/25' });
    const titleInput = h('input', { id: `${id}-title`, type: 'text', maxlength: 300 });
    const markingInput = h('input', { id: `${id}-marking`, type: 'text', maxlength: 200, placeholder: 'None' });
    const message = h('p', { class: 'form-message', role: 'status' });
    // Typed and not yet saved: the form is not filled again from the room until it is saved, or the words would go.
    let edits = 0;
    let saved = 0;
    const form = h('form', { class: 'statement-form', on: { input: () => { edits += 1; }, submit: async (event) => {
      event.preventDefault();
      const sent = edits;
      message.className = 'form-message';
      message.textContent = 'Saving…';
      try {
        await Api.setStatementDocument(state.meetingId, item.id, {
          documentNumber: numberInput.value.trim(), title: titleInput.value.trim() || null, distributionMarking: markingInput.value.trim() || null,
        });
        saved = Math.max(saved, sent);
        message.textContent = 'Saved.';
      } catch (error) {
        message.className = 'form-message tone-text-bad';
        message.textContent = `Not saved: ${error instanceof ApiError ? error.message : 'no connection to the server.'}`;
      }
    } } },
    h('label', { for: numberInput.id }, 'Document number'), numberInput,
    h('label', { for: titleInput.id }, 'Title'), titleInput,
    h('label', { for: markingInput.id }, 'Distribution marking'), markingInput,
    h('button', { type: 'submit', class: 'button small' }, 'Save'), message);
    const details = h('details', { class: 'statement-settings' }, h('summary', {}, 'Number, title and marking'), form);
    const li = h('li', { class: 'statement' }, h('div', { class: 'statement-head' }, title, number), exportButton, details);

    this.#rows.set(item.id, (current) => {
      const statement = current.statement;
      title.textContent = `Item ${roman(current.number)} · ${current.title}`;
      number.textContent = statement ? statement.documentNumber : 'No document number yet';
      number.classList.toggle('muted', !statement);
      replaceChildren(exportButton, icon('download'), 'Export statement',
        h('span', { class: 'visually-hidden' }, ` ${statement?.documentNumber ?? `of item ${roman(current.number)}`}`));
      exportButton.disabled = !statement || this.#busy;
      exportButton.title = statement ? '' : 'Give the statement its document number first.';
      if (edits === saved && !form.contains(document.activeElement)) {
        numberInput.value = statement?.documentNumber ?? '';
        titleInput.value = statement?.title ?? current.title;
        markingInput.value = statement ? statement.distributionMarking ?? '' : state.meeting.distributionMarking ?? '';
      }
      if (!statement) details.open = true;
    });
    return li;
  }

  #options() {
    return { format: this.#format, recipient: this.#recipient.value ? Number(this.#recipient.value) : null };
  }

  #exportConclusions() {
    const options = this.#options();
    const state = this.#session.state;
    return this.#run(
      (onProgress) => exportConclusions(state.meetingId, onProgress, options),
      fileNameFor(state.meeting.documentNumber, { kind: 'conclusions', format: options.format }));
  }

  #exportStatement(itemId) {
    const options = this.#options();
    const state = this.#session.state;
    const item = state.items.get(itemId);
    return this.#run(
      (onProgress) => exportStatement(state.meetingId, itemId, onProgress, options),
      fileNameFor(item?.statement?.documentNumber, { kind: 'statement', format: options.format }));
  }

  async #run(download, name) {
    if (this.#busy) return;
    this.#busy = true;
    const run = ++this.#runs;
    const buttons = [this.#conclusionsButton, ...this.#statements.querySelectorAll('.statement > button')];
    for (const button of buttons) button.disabled = true;
    this.#progress.hidden = false;
    this.#progress.removeAttribute('value');
    const recipient = this.#recipient.selectedOptions[0]?.textContent ?? '';
    replaceChildren(this.#result, h('p', { class: 'muted' }, 'Preparing the copy…'));
    try {
      const result = await download(({ received, total }) => {
        if (total) this.#progress.value = Math.round((100 * received) / total);
        replaceChildren(this.#result, h('p', { class: 'muted' },
          `Downloading… ${Math.round(received / 1024)} KB${total ? ` of ${Math.round(total / 1024)} KB` : ''}`));
      });
      if (result.state !== 'done') {
        replaceChildren(this.#result, h('p', { class: 'export-error', dataset: { state: result.state } },
          icon(result.state === 'busy' ? 'clock' : 'info'), h('span', {}, result.message)));
        return;
      }
      if (this.#url) URL.revokeObjectURL(this.#url);
      const url = URL.createObjectURL(result.blob);
      this.#url = url;
      const link = h('a', { href: url, download: name, class: 'export-file' }, icon('file'), name);
      link.click();
      replaceChildren(this.#result,
        h('p', { class: 'export-done' }, icon('check'), h('span', {}, `Saved ${name} (${Math.round(result.blob.size / 1024)} KB), copy for ${recipient}`)),
        leftOutLine(result.leftOut),
        h('dl', { class: 'export-facts' },
          h('dt', {}, 'Text SHA-256'),
          h('dd', {}, h('code', { class: 'hash content-hash', dataset: { sha256: result.sha256 ?? '' } }, result.sha256 ?? 'not sent by the server')),
          h('dt', {}, 'File SHA-256'),
          h('dd', {}, h('code', { class: 'hash copy-hash', dataset: { sha256: result.copySha256 ?? '' } }, result.copySha256 ?? 'not sent by the server')),
          h('dt', {}, 'Check'),
          h('dd', { class: verifiedClass(result.verified) }, verifiedText(result.verified)),
          result.copyId ? h('dt', {}, 'Copy') : null,
          result.copyId ? h('dd', {}, h('code', { class: 'copy-id' }, result.copyId)) : null,
          result.seq ? h('dt', {}, 'As of event') : null,
          result.seq ? h('dd', {}, `#${result.seq}`) : null),
        h('p', {}, 'Download again: ', link));
      this.#progress.value = 100;
      this.#result.scrollIntoView?.({ block: 'nearest' });
    } finally {
      this.#busy = false;
      this.#conclusionsButton.disabled = false;
      this.update();
      setTimeout(() => { if (run === this.#runs) this.#progress.hidden = true; }, 600);
    }
  }

  #tracePanel(id) {
    const file = h('input', { id: `${id}-trace-file`, type: 'file', accept: '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document', required: true });
    const identifier = h('input', { id: `${id}-trace-id`, type: 'text', required: true, placeholder: 'BR-XXXX-XXXX-XXXX-XXXX', autocomplete: 'off', spellcheck: 'false' });
    // The panel answers the last question asked: a slow answer to an earlier trace would stand as the verdict on the later one.
    let asked = 0;
    const show = (result, question) => {
      if (question !== asked) return;
      const tone = result.state !== 'done' ? 'muted' : result.verdict === 'authentic' ? 'tone-text-good' : result.verdict === 'unknown' ? 'muted' : 'tone-text-bad';
      replaceChildren(this.#traceResult, h('p', { class: ['trace-message', tone], dataset: { verdict: result.verdict ?? result.state } }, result.message));
    };
    const pending = () => {
      replaceChildren(this.#traceResult, h('p', { class: 'muted' }, 'Checking…'));
      return (asked += 1);
    };
    return h('details', { class: 'trace' },
      h('summary', {}, icon('info'), 'Trace a leaked copy'),
      h('form', { class: 'trace-form', on: { submit: async (event) => {
        event.preventDefault();
        if (!file.files?.length) return;
        const question = pending();
        show(await traceFile(this.#session.state.meetingId, file.files[0]), question);
      } } },
      h('label', { for: file.id }, 'Leaked file (PDF or Word)'), file,
      h('button', { type: 'submit', class: 'button small' }, 'Trace file')),
      h('form', { class: 'trace-form', on: { submit: async (event) => {
        event.preventDefault();
        const question = pending();
        show(await traceIdentifier(this.#session.state.meetingId, identifier.value), question);
      } } },
      h('label', { for: identifier.id }, 'Or paste its identifier'), identifier,
      h('button', { type: 'submit', class: 'button small' }, 'Trace identifier')),
      this.#traceResult);
  }
}

function verifiedText(verified) {
  if (verified === true) return 'The file matches its fingerprint.';
  if (verified === false) return 'The file does NOT match its fingerprint: do not circulate it; export again.';
  return 'Not checked in this browser.';
}

function verifiedClass(verified) {
  if (verified === true) return 'tone-text-good';
  if (verified === false) return 'tone-text-bad';
  return 'muted';
}

/** "Left out: item I (under discussion), item III (not agreed)." — an export never drops items silently. */
function leftOutLine(leftOut) {
  if (!leftOut?.length) return null;
  const items = leftOut.map(({ number, status }) => `item ${roman(number)} (${labelOf(ItemStatusLabels, status).text.toLowerCase()})`);
  return h('p', { class: 'export-left-out' }, icon('info'),
    h('span', {}, `Left out: ${items.join(', ')}. Only agreed items and coalition statements go into the conclusions.`));
}
