// An item's named versions: the list (REV 1, REV 2, ...), "Save as version" for the chair and the secretariat, a
// comparison of any two versions or of a version with the text now (word by word, <ins>/<del> as the history panel
// shows them), and "Export this version" (the conclusions PDF of that version) for those who export.

import { h, instantText, replaceChildren, uid } from '../dom.js';
import { focusIsNowhere } from '../focus-keeper.js';
import { icon } from '../icons.js';
import { exportDocument } from '../conclusions.js';
import { CURRENT, Versions, describeComparison } from '../versions.js';
import { diffNodes } from './history-panel.js';

export class VersionsPanel {
  #session;
  #itemId;
  #list;
  #from;
  #to;
  #status;
  #diffSummary;
  #diff;
  #versions = [];
  #url = null;
  #disposed = false;
  #saving = false;
  #exporting = false;
  /** Counts the comparisons asked for: only the last one's answer is shown, whichever order the answers come in. */
  #comparing = 0;
  /** The same for reading the list: a read answered after a later one would take back the versions saved in between. */
  #reading = 0;

  constructor(session, itemId) {
    this.#session = session;
    this.#itemId = itemId;
    const you = session.state.you;
    const id = uid('versions');
    this.#list = h('ol', { class: 'versions-list' });
    this.#status = h('p', { class: 'versions-status muted small', role: 'status' });
    this.#from = h('select', { class: 'versions-from', 'aria-label': 'Compare from' });
    this.#to = h('select', { class: 'versions-to', 'aria-label': 'Compare with' });
    this.#diffSummary = h('p', { class: 'versions-diff-summary', role: 'status' });
    this.#diff = h('div', { class: 'history-diff versions-diff', tabindex: '0', role: 'document', 'aria-label': 'Changes between the two texts' });
    const nameInput = h('input', { type: 'text', class: 'version-name', maxlength: '200', required: true, placeholder: 'e.g. compromise after the tour de table', 'aria-label': 'Name of the version' });
    const save = you.canExport
      ? h('form', {
        class: 'version-save',
        on: { submit: (event) => { event.preventDefault(); this.#save(nameInput); } },
      }, nameInput, h('button', { type: 'submit', class: 'button small primary' }, icon('flag'), 'Save as version'))
      : null;
    this.element = h('section', { class: 'versions', 'aria-labelledby': `${id}-title` },
      h('div', { class: 'section-head' },
        h('h3', { id: `${id}-title` }, 'Versions'),
        h('span', { class: 'muted small' }, 'Named versions of the draft (REV 1, REV 2, …), frozen as they were saved.')),
      this.#list,
      save,
      h('form', {
        class: 'versions-compare',
        on: { submit: (event) => { event.preventDefault(); this.#compare(); } },
      }, h('span', {}, 'Compare'), this.#from, h('span', {}, 'with'), this.#to,
      h('button', { type: 'submit', class: 'button small' }, 'Compare')),
      this.#status,
      this.#diffSummary,
      this.#diff);
    this.update();
  }

  /** Reads the list again (a version was saved, or the panel opened). */
  async update() {
    const state = this.#session.state;
    const asked = ++this.#reading;
    try {
      const versions = await Versions.list(state.meetingId, this.#itemId);
      if (this.#disposed || asked !== this.#reading) return;
      this.#versions = versions;
      this.#draw();
    } catch (error) {
      if (!this.#disposed && asked === this.#reading) this.#status.textContent = error.message;
    }
  }

  dispose() {
    this.#disposed = true;
    if (this.#url) URL.revokeObjectURL(this.#url);
  }

  #draw() {
    const canExport = this.#session.state.you.canExport;
    // The list is drawn anew whenever anyone saves a version: the keyboard stays on the button it was on.
    const active = this.#list.contains(document.activeElement) ? document.activeElement : null;
    const kept = active ? { number: active.closest('li')?.dataset.number, action: active.dataset.action } : null;
    replaceChildren(this.#list, this.#versions.length === 0
      ? h('li', { class: 'muted' }, 'No version saved yet.')
      : this.#versions.map((v) => h('li', { class: 'version', dataset: { number: String(v.number) } },
        h('strong', { class: 'version-label' }, v.label), ' – ', h('span', { class: 'version-name' }, v.name),
        h('span', { class: 'muted small' }, ` · ${v.createdBy}, ${instantText(v.createdAt)} · revision ${v.revision} · `),
        h('code', { class: 'hash', title: v.sha256 }, `SHA-256 ${v.sha256.slice(0, 12)}…`),
        // Named with their version (the words on the button first, for speech input): a screen reader listing the
        // buttons otherwise reads the same words for every version.
        h('button', { type: 'button', class: 'button small quiet', dataset: { action: 'compare' }, on: { click: () => this.#compareWithNow(v.number) } },
          'Compare with now', h('span', { class: 'visually-hidden' }, ` (${v.label})`)),
        canExport ? h('button', { type: 'button', class: 'button small quiet version-export', dataset: { action: 'export' }, on: { click: () => this.#export(v) } },
          icon('download'), 'Export this version', h('span', { class: 'visually-hidden' }, ` (${v.label})`)) : null)));
    if (kept && focusIsNowhere()) {
      this.#list.querySelector(`li[data-number="${CSS.escape(kept.number ?? '')}"] button[data-action="${CSS.escape(kept.action ?? '')}"]`)?.focus();
    }
    const keepFrom = this.#from.value;
    const keepTo = this.#to.value;
    const options = () => this.#versions.map((v) => h('option', { value: String(v.number) }, `${v.label} – ${v.name}`));
    replaceChildren(this.#from, options());
    replaceChildren(this.#to, options(), h('option', { value: CURRENT }, 'the text now'));
    if ([...this.#from.options].some((o) => o.value === keepFrom)) this.#from.value = keepFrom;
    this.#to.value = [...this.#to.options].some((o) => o.value === keepTo) && keepTo ? keepTo : CURRENT;
  }

  async #save(input) {
    const name = input.value.trim();
    if (!name) {
      this.#status.textContent = 'Give the version a name.';
      return;
    }
    // One save at a time: the second press of a double click would otherwise save the same text again as the next REV.
    if (this.#saving) return;
    this.#saving = true;
    const button = input.form?.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      // The server saves the draft as it has it: words typed just before the press, or while the link was down, are
      // still on their way, and the version would be frozen without them. It is saved once they have arrived.
      const documentId = `draft:${this.#itemId}`;
      if (this.#session.state.texts.get(documentId)?.hasPending) {
        this.#status.textContent = 'Saving once your last words have reached the server…';
        if (!await this.#session.settled(documentId)) {
          this.#status.textContent = 'Not saved: your last words have not reached the server, and the version would be without them. Save again once the draft says all changes are saved.';
          return;
        }
        if (this.#disposed) return;
      }
      const saved = await Versions.save(this.#session.state.meetingId, this.#itemId, name);
      // Typed meanwhile (the next version's name), it is kept.
      if (input.value.trim() === name) input.value = '';
      this.#status.textContent = `Saved ${saved.label}.`;
      await this.update();
    } catch (error) {
      this.#status.textContent = error.message;
    } finally {
      this.#saving = false;
      if (button) button.disabled = false;
    }
  }

  #compareWithNow(number) {
    this.#from.value = String(number);
    this.#to.value = CURRENT;
    this.#compare();
  }

  async #compare() {
    if (!this.#from.value) {
      this.#diffSummary.textContent = 'There is no version to compare yet.';
      return;
    }
    const asked = ++this.#comparing;
    try {
      const comparison = await Versions.compare(this.#session.state.meetingId, this.#itemId, this.#from.value, this.#to.value);
      if (asked !== this.#comparing || this.#disposed) return;
      const { parts, summary } = describeComparison(comparison);
      this.#diffSummary.textContent = summary;
      replaceChildren(this.#diff, diffNodes(parts));
    } catch (error) {
      if (asked !== this.#comparing || this.#disposed) return;
      this.#diffSummary.textContent = error.message;
      replaceChildren(this.#diff);
    }
  }

  async #export(version) {
    // One export at a time: each answer is a traced copy in the register, and a double click made two of one hand-out.
    if (this.#exporting) return;
    this.#exporting = true;
    this.#status.textContent = `Preparing ${version.label}…`;
    let result;
    try {
      result = await exportDocument(Versions.exportPath(this.#session.state.meetingId, version.id), () => {});
    } finally {
      this.#exporting = false;
    }
    if (this.#disposed) return;
    if (result.state !== 'done') {
      this.#status.textContent = result.message;
      return;
    }
    if (this.#url) URL.revokeObjectURL(this.#url);
    this.#url = URL.createObjectURL(result.blob);
    const name = `${version.label.replace(/\s+/g, '-')}-item-${this.#itemId}.pdf`;
    const link = h('a', { href: this.#url, download: name, class: 'export-file' }, icon('file'), name);
    link.click();
    replaceChildren(this.#status, `Saved ${name}; text SHA-256 of ${version.label}: `, h('code', { class: 'hash' }, version.sha256), '. Download again: ', link);
  }
}
