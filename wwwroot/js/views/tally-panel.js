// Draws what the tally adapter (../tally.js) returns. It decides nothing: the outcome, its reason and
// the blockers are the server's words; the bars place the server's numbers against its thresholds.

import { h, replaceChildren } from '../dom.js';
import { icon } from '../icons.js';
import { RuleExplanations, RuleLabels, StanceLabels, labelOf, textOf } from '../labels.js';
import { chip } from './chips.js';

const OUTCOMES = {
  adopted: { text: 'Adopted', icon: 'check', tone: 'good' },
  notAdopted: { text: 'Not adopted', icon: 'cross', tone: 'bad' },
  pending: { text: 'Pending', icon: 'clock', tone: 'warn' },
  noDecision: { text: 'No decision', icon: 'info', tone: 'neutral' },
};

export function outcomeChip(tally, { compact = false } = {}) {
  const outcome = OUTCOMES[tally.outcome] ?? { text: tally.outcome, icon: 'dot', tone: 'neutral' };
  return chip(compact ? { ...outcome, text: `Tally: ${outcome.text.toLowerCase()}` } : outcome, { className: compact ? 'chip-small' : 'chip-large' });
}

const percent = (part, whole) => (whole > 0 ? (100 * part) / whole : 0);
const fmtPercent = (value) => `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
const millions = (people) => `${(people / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 1 })} m`;

export class TallyPanel {
  #body;
  #rule;
  #explanation;

  constructor() {
    this.#rule = h('span', { class: 'panel-note' });
    this.#explanation = h('p', { class: 'panel-sub' });
    this.#body = h('div', { class: 'tally-body', 'aria-live': 'off' });
    this.element = h('section', { class: 'panel tally', 'aria-labelledby': 'tally-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'tally-title' }, 'Tally'), this.#rule),
      this.#explanation,
      this.#body);
  }

  /** @param {object | undefined} item @param {{state: string, tally?: object, message?: string} | undefined} result */
  render(item, result) {
    this.#rule.textContent = item ? textOf(RuleLabels, item.rule) : '';
    this.#explanation.textContent = item ? textOf(RuleExplanations, item.rule) : '';
    if (!result) {
      replaceChildren(this.#body, h('p', { class: 'muted' }, 'Loading the tally…'));
      return;
    }
    if (result.state !== 'ready') {
      replaceChildren(this.#body, h('p', { class: 'tally-unavailable', dataset: { state: result.state } }, icon('info'), h('span', {}, result.message)));
      return;
    }
    const t = result.tally;
    const parts = [
      h('div', { class: 'tally-outcome' }, outcomeChip(t), t.reason ? h('p', { class: 'tally-reason' }, t.reason) : null),
    ];
    if (t.kind === 'majority') {
      parts.push(bar({
        label: 'Member states in favour',
        value: t.members.inFavour, max: t.members.participating,
        valueText: `${t.members.inFavour} of ${t.members.participating}`,
        threshold: t.members.thresholdPercent,
        needs: t.members.required != null ? `needs ${t.members.required}${t.members.thresholdPercent != null ? ` (${t.members.thresholdPercent}%)` : ''}` : null,
        id: 'members',
      }));
      if (t.population) {
        parts.push(bar({
          label: 'Population in favour',
          value: t.population.inFavour, max: t.population.participating,
          valueText: `${fmtPercent(percent(t.population.inFavour, t.population.participating))} (${millions(t.population.inFavour)} of ${millions(t.population.participating)})`,
          threshold: t.population.thresholdPercent,
          needs: t.population.thresholdPercent != null ? `needs ${t.population.thresholdPercent}%` : null,
          id: 'population',
        }));
      }
    } else if (t.kind === 'unanimity') {
      parts.push(bar({
        label: 'Member states in favour',
        value: t.members.inFavour, max: t.members.participating,
        valueText: `${t.members.inFavour} of ${t.members.participating}`,
        threshold: null,
        needs: 'unanimity: no member state may oppose',
        id: 'members',
      }));
    }
    if (t.blockers.length > 0) {
      parts.push(h('div', { class: 'tally-blockers' },
        h('h3', {}, icon('alert'), 'Blocking'),
        h('ul', {}, t.blockers.map((b) => h('li', {}, h('strong', {}, b.name), b.stance ? ` (${labelOf(StanceLabels, b.stance).text.toLowerCase()})` : '')))));
    }
    const counted = t.counts.filter((c) => c.members > 0);
    if (counted.length > 0) {
      parts.push(h('ul', { class: 'tally-counts', 'aria-label': 'Member states by stance' },
        counted.map((c) => {
          const label = labelOf(StanceLabels, c.stance);
          return h('li', { class: `tone-text-${label.tone}` }, icon(label.icon, { size: 14 }), h('span', {}, label.text), h('strong', {}, String(c.members)));
        })));
    }
    if (t.notes.length > 0) parts.push(h('ul', { class: 'tally-notes' }, t.notes.map((n) => h('li', {}, n))));
    replaceChildren(this.#body, parts);
  }
}

function bar({ label, value, max, valueText, threshold, needs, id }) {
  const fill = h('div', { class: 'bar-fill' });
  fill.style.width = `${Math.min(100, percent(value, max))}%`;
  const track = h('div', {
    class: 'bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': max, 'aria-valuenow': value,
    'aria-valuetext': `${valueText}${needs ? `; ${needs}` : ''}`, 'aria-label': label, dataset: { bar: id },
  }, fill);
  if (threshold != null) {
    const line = h('div', { class: 'bar-threshold', 'aria-hidden': 'true' }, h('span', {}, `${threshold}%`));
    line.style.left = `${threshold}%`;
    track.append(line);
  }
  return h('div', { class: 'bar-row' },
    h('div', { class: 'bar-label' }, h('span', {}, label), h('strong', {}, valueText)),
    track,
    needs ? h('p', { class: 'bar-note' }, needs) : null);
}
