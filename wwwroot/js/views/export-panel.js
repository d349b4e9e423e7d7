import { exportConclusions, fileNameFor } from '../conclusions.js';
import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';

/** The secretariat's (and chair's) export of the conclusions PDF: progress, then the file and its hash. */
export class ExportPanel {
  #session;
  #button;
  #progress;
  #result;
  #busy = false;
  #url = null;

  constructor(session) {
    this.#session = session;
    this.#button = h('button', { type: 'button', class: 'button primary wide', on: { click: () => this.#export() } },
      icon('download'), 'Export conclusions (PDF)');
    this.#progress = h('progress', { class: 'export-progress', max: 100, hidden: true, 'aria-label': 'Export progress' });
    this.#result = h('div', { class: 'export-result', role: 'status' });
    this.element = h('section', { class: 'panel export', 'aria-labelledby': 'export-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'export-title' }, 'Conclusions')),
      h('p', { class: 'panel-sub' }, 'The agreed texts as a PDF, with a SHA-256 fingerprint to quote when circulating it.'),
      this.#button, this.#progress, this.#result);
  }

  async #export() {
    if (this.#busy) return;
    this.#busy = true;
    this.#button.disabled = true;
    this.#progress.hidden = false;
    this.#progress.removeAttribute('value');
    replaceChildren(this.#result, h('p', { class: 'muted' }, 'Preparing the PDF…'));
    const state = this.#session.state;
    try {
      const result = await exportConclusions(state.meetingId, ({ received, total }) => {
        if (total) this.#progress.value = Math.round((100 * received) / total);
        replaceChildren(this.#result, h('p', { class: 'muted' },
          `Downloading… ${Math.round(received / 1024)} KB${total ? ` of ${Math.round(total / 1024)} KB` : ''}`));
      });
      if (result.state !== 'done') {
        replaceChildren(this.#result, h('p', { class: 'export-error', dataset: { state: result.state } },
          icon(result.state === 'busy' ? 'clock' : 'info'), h('span', {}, result.message)));
        return;
      }
      const name = fileNameFor(state.meeting.documentNumber);
      if (this.#url) URL.revokeObjectURL(this.#url);
      const url = URL.createObjectURL(result.blob);
      this.#url = url;
      const link = h('a', { href: url, download: name, class: 'export-file' }, icon('file'), name);
      link.click();
      replaceChildren(this.#result,
        h('p', { class: 'export-done' }, icon('check'), h('span', {}, `Saved ${name} (${Math.round(result.blob.size / 1024)} KB)`)),
        h('dl', { class: 'export-facts' },
          h('dt', {}, 'SHA-256'),
          h('dd', {}, h('code', { class: 'hash', dataset: { sha256: result.sha256 ?? '' } }, result.sha256 ?? 'not sent by the server')),
          h('dt', {}, 'Check'),
          h('dd', { class: verifiedClass(result.verified) }, verifiedText(result.verified)),
          result.seq ? h('dt', {}, 'As of event') : null,
          result.seq ? h('dd', {}, `#${result.seq}`) : null),
        h('p', {}, 'Download again: ', link));
      this.#progress.value = 100;
    } finally {
      this.#busy = false;
      this.#button.disabled = false;
      setTimeout(() => { this.#progress.hidden = true; }, 600);
    }
  }
}

function verifiedText(verified) {
  if (verified === true) return 'The file matches the fingerprint.';
  if (verified === false) return 'The file does NOT match the fingerprint: do not circulate it; export again.';
  return 'Not checked in this browser.';
}

function verifiedClass(verified) {
  if (verified === true) return 'tone-text-good';
  if (verified === false) return 'tone-text-bad';
  return 'muted';
}
