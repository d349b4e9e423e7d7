// Draws the server's tally of the current item (../tally.js) so that it reads in two seconds: does it pass
// (the outcome in words, with an icon), who blocks, and what would change it (the server's flips, "If Hungary
// abstains: adopted"); then the bars against the rule's lines, the count per stance, and the fine print.
// It decides nothing: every sentence is the server's, the bars place the server's numbers.

import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { OutcomeLabels, RuleExplanations, RuleLabels, StanceLabels, StanceVerbs, labelOf, textOf } from '../labels.js';
import { sentence } from '../tally.js';
import { chip } from './chips.js';

/** Flips shown at once; the rest wait behind "more" (a consensus that passes lists every member that could stop it). */
const FLIPS_SHOWN = 3;

export function outcomeChip(tally, { compact = false } = {}) {
  const outcome = labelOf(OutcomeLabels, tally.outcome);
  return compact
    ? chip({ ...outcome, text: `Tally: ${outcome.text.toLowerCase()}` }, { className: 'chip-small tally-badge' })
    : chip(outcome, { className: 'chip-large' });
}

const percent = (part, whole) => (whole > 0 ? (100 * part) / whole : 0);
const fmtPercent = (value) => `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
const millions = (people) => `${(people / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 1 })} m`;

export class TallyPanel {
  #body;
  #rule;
  #shownItemId = null;

  constructor() {
    this.#rule = h('span', { class: 'panel-note' });
    this.#body = h('div', { class: 'tally-body' });
    this.element = h('section', { class: 'panel tally', 'aria-labelledby': 'tally-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'tally-title' }, 'Tally'), this.#rule),
      this.#body);
  }

  /**
   * @param {object | undefined} item @param {import('../tally.js').TallyView | undefined} tally
   * @param {(code: string) => string} [nameOf] a delegation's name, for saying who holds each stance
   */
  render(item, tally, nameOf = (code) => code) {
    this.#rule.textContent = item ? textOf(RuleLabels, item.rule) : '';
    if (!item) {
      replaceChildren(this.#body);
      return;
    }
    if (!tally) {
      replaceChildren(this.#body,
        h('p', { class: 'panel-sub flush' }, textOf(RuleExplanations, item.rule)),
        h('p', { class: 'tally-unavailable' }, icon('info'), h('span', {}, 'No tally for this item yet.')));
      return;
    }
    // A redraw follows every stance change: what the reader opened, and the keyboard focus on it, stay as they were.
    const sameItem = this.#shownItemId === item.id;
    this.#shownItemId = item.id;
    const open = new Set(sameItem ? [...this.#body.querySelectorAll('details[open]')].map((d) => d.dataset.key) : []);
    const focused = this.#body.contains(document.activeElement) ? document.activeElement.closest('details')?.dataset.key : undefined;
    const outcome = labelOf(OutcomeLabels, tally.outcome);
    const verdict = h('div', { class: ['tally-verdict', `verdict-${outcome.tone}`], dataset: { outcome: tally.outcome } },
      outcomeChip(tally),
      tally.reason ? h('p', { class: 'tally-reason' }, tally.reason) : null);
    if (tally.positionsWithheld) {
      // A guest's view: the outcome in words; the member states' positions are theirs to share, per item, by the chair.
      replaceChildren(this.#body, verdict,
        h('p', { class: 'panel-sub flush tally-withheld' }, icon('shield'), ' The member states’ positions on this item are not shared with guests.'));
      return;
    }
    replaceChildren(this.#body,
      verdict,
      blockers(tally),
      // A coalition statement is supported by those who sign it: "if Hungary abstains: adopted" means nothing there.
      item.status === 'coalition' ? null : flips(tally),
      tally.kind === 'none' ? null : bars(tally),
      counts(tally, nameOf),
      finePrint(tally));
    for (const details of this.#body.querySelectorAll('details')) {
      if (open.has(details.dataset.key)) details.open = true;
      if (details.dataset.key === focused) details.querySelector('summary')?.focus();
    }
  }
}

function blockers(tally) {
  if (tally.blockers.length === 0) return null;
  return h('div', { class: 'tally-blockers' },
    h('h3', {}, icon('alert'), 'Blocking'),
    h('ul', { class: 'inline-list' }, tally.blockers.map((b) => h('li', {},
      h('strong', {}, b.name), b.stance ? ` ${textOf(StanceVerbs, b.stance)}` : ''))));
}

function flips(tally) {
  if (tally.flips.length === 0) return null;
  const row = (f) => {
    const label = labelOf(OutcomeLabels, f.outcome);
    return h('li', { class: `tone-text-${label.tone}` }, icon(label.icon, { size: 14 }), h('span', {}, sentence(f.description)));
  };
  const shown = tally.flips.slice(0, FLIPS_SHOWN);
  const rest = tally.flips.slice(FLIPS_SHOWN);
  return h('div', { class: 'tally-flips' },
    h('h3', {}, icon('refresh'), 'What would change it'),
    h('ul', {}, shown.map(row)),
    rest.length > 0
      ? h('details', { class: 'tally-more', dataset: { key: 'flips' } }, h('summary', {}, `${rest.length} more`), h('ul', {}, rest.map(row)))
      : null);
}

const SEGMENTS = [
  { key: 'inFavour', words: 'in favour' },
  { key: 'abstaining', words: 'abstaining' },
  { key: 'undecided', words: 'not yet said' },
  { key: 'against', words: 'against' },
];

function bars(tally) {
  const m = tally.members;
  const membersLine = m.thresholdPercent ?? (m.required != null ? percent(m.required, m.participating) : null);
  const parts = [bar({
    id: 'members',
    label: 'Member states',
    measure: m,
    headline: `${m.inFavour} of ${m.participating} in favour`,
    amount: (n) => String(n),
    line: membersLine == null ? null : { at: membersLine, text: m.thresholdPercent != null ? `${m.thresholdPercent}%` : `${m.required}` },
    needs: m.required != null ? `needs ${m.required}${m.thresholdPercent != null ? ` (${m.thresholdPercent}%)` : ''}` : null,
  })];
  const p = tally.population;
  if (p) {
    parts.push(bar({
      id: 'population',
      label: 'Population',
      measure: p,
      headline: `${fmtPercent(percent(p.inFavour, p.participating))} in favour`,
      amount: (n) => `${fmtPercent(percent(n, p.participating))} (${millions(n)})`,
      line: p.thresholdPercent != null ? { at: p.thresholdPercent, text: `${p.thresholdPercent}%` } : null,
      needs: p.thresholdPercent != null ? `needs ${p.thresholdPercent}%` : null,
    }));
  }
  return h('div', { class: 'tally-bars' },
    parts,
    tally.requirement ? h('p', { class: 'bar-note' }, `Requires ${tally.requirement}.`) : null);
}

function bar({ id, label, measure, headline, amount, line, needs }) {
  const present = SEGMENTS.filter((s) => measure[s.key] > 0);
  const valueText = present.map((s) => `${amount(measure[s.key])} ${s.words}`).join(', ') || 'nobody counted';
  const track = h('div', {
    class: 'bar', role: 'meter', 'aria-label': label,
    'aria-valuemin': 0, 'aria-valuemax': measure.participating, 'aria-valuenow': measure.inFavour,
    'aria-valuetext': `${valueText}${needs ? `; ${needs}` : ''}`, dataset: { bar: id },
  }, present.map((s) => {
    const segment = h('div', { class: `bar-segment segment-${s.key}`, dataset: { segment: s.key, value: String(measure[s.key]) } });
    segment.style.width = `${percent(measure[s.key], measure.participating)}%`;
    return segment;
  }));
  if (line) {
    const mark = h('div', { class: 'bar-threshold', 'aria-hidden': 'true' }, h('span', {}, line.text));
    mark.style.left = `${Math.min(100, line.at)}%`;
    track.append(mark);
  }
  return h('div', { class: 'bar-row' },
    h('div', { class: 'bar-label' }, h('span', {}, label), h('strong', {}, headline), needs ? h('span', { class: 'bar-needs' }, needs) : null),
    track);
}

/**
 * How many member states hold each stance, and, opened, which: under unanimity the one abstaining or not yet heard
 * matters as much as the number. Who they are was only in a tooltip, out of reach of the keyboard, a screen reader
 * and a finger.
 */
function counts(tally, nameOf) {
  const counted = tally.counts.filter((c) => c.members > 0);
  if (counted.length === 0) return null;
  return h('ul', { class: 'tally-counts', 'aria-label': 'Member states by stance' },
    counted.map((c) => {
      const label = labelOf(StanceLabels, c.stance);
      return h('li', { class: `tone-text-${label.tone}` },
        h('details', { class: 'tally-who', dataset: { key: `stance-${c.stance}` } },
          h('summary', {}, h('span', { class: 'tally-count' }, icon(label.icon, { size: 14 }), h('span', {}, label.text), h('strong', {}, String(c.members)))),
          h('p', { class: 'tally-who-names' }, c.codes.map(nameOf).join(', '))));
    }));
}

function finePrint(tally) {
  const notCounted = tally.notCounted;
  return [
    tally.notes.length > 0 ? h('ul', { class: 'tally-notes' }, tally.notes.map((n) => h('li', {}, n))) : null,
    notCounted.length > 0
      ? h('details', { class: 'tally-more tally-not-counted', dataset: { key: 'not-counted' } },
        h('summary', {}, `Not counted: ${notCounted.map((n) => n.name).join(', ')}`),
        h('ul', {}, notCounted.map((n) => h('li', {}, h('strong', {}, n.name), `: ${n.reason}`))))
      : null,
    tally.basis ? h('p', { class: 'tally-basis' }, tally.basis) : null,
  ];
}
