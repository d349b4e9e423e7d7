// The words the page shows for the server's enum values (camelCase names on the wire), each with an
// icon name, so that no status is told by colour alone. Unknown values show as they are.

const entry = (text, icon, tone) => Object.freeze({ text, icon, tone });

export const ItemStatusLabels = Object.freeze({
  draft: entry('Draft', 'pencil', 'neutral'),
  underDiscussion: entry('Under discussion', 'chat', 'info'),
  agreed: entry('Agreed', 'check', 'good'),
  notAgreed: entry('Not agreed', 'cross', 'bad'),
  coalition: entry('Coalition of the willing', 'group', 'special'),
});

export const StanceLabels = Object.freeze({
  noPosition: entry('No position yet', 'dash', 'muted'),
  support: entry('Support', 'check', 'good'),
  supportWithReservation: entry('Support, with reservation', 'check-note', 'warn'),
  abstain: entry('Abstain', 'circle', 'neutral'),
  abstainConstructively: entry('Constructive abstention', 'circle-slash', 'neutral'),
  oppose: entry('Oppose', 'cross', 'bad'),
  notTakingPart: entry('Not taking part', 'dash', 'muted'),
});

/** A delegation's stance as a verb, for sentences such as "Blocking: Hungary (opposes)". */
export const StanceVerbs = Object.freeze({
  noPosition: 'has not said',
  support: 'supports',
  supportWithReservation: 'supports with a reservation',
  abstain: 'abstains',
  abstainConstructively: 'abstains constructively',
  oppose: 'opposes',
  notTakingPart: 'does not take part',
});

/** Where an item stands under its rule, as the server's tally says (DecisionOutcome). */
export const OutcomeLabels = Object.freeze({
  adopted: entry('Adopted', 'check', 'good'),
  notAdopted: entry('Not adopted', 'cross', 'bad'),
  pending: entry('Pending', 'clock', 'warn'),
  noDecision: entry('No decision', 'info', 'neutral'),
});

export const ReservationLabels = Object.freeze({
  scrutiny: 'Scrutiny reservation',
  parliamentary: 'Parliamentary reservation',
  general: 'General reservation',
});

export const RuleLabels = Object.freeze({
  consensus: 'Consensus (Art. 15(4) TEU)',
  unanimity: 'Unanimity (Art. 238(4) TFEU)',
  unanimityWithConstructiveAbstention: 'Unanimity, constructive abstention (Art. 31(1) TEU)',
  qualifiedMajority: 'Qualified majority (Art. 16(4) TEU)',
  reinforcedQualifiedMajority: 'Reinforced qualified majority (Art. 238(2) TFEU)',
  simpleMajority: 'Simple majority (Art. 238(1) TFEU)',
  forInformation: 'For information',
});

export const RoleLabels = Object.freeze({
  chair: 'Chair',
  secretariat: 'Secretariat',
  delegate: 'Delegate',
  observer: 'Observer',
});

export const MeetingStatusLabels = Object.freeze({
  planned: entry('Planned', 'clock', 'neutral'),
  inSession: entry('In session', 'dot', 'good'),
  closed: entry('Closed', 'lock', 'muted'),
});

export const DelegationKindOrder = Object.freeze({ memberState: 0, institution: 1, guest: 2 });

/** @returns {{text: string, icon: string, tone: string}} */
export function labelOf(table, value) {
  return table[value] ?? entry(String(value ?? ''), 'dot', 'neutral');
}

/** Roman numerals, as the Council numbers agenda items in its conclusions (the server's Agenda/ItemNumeral, for its messages). */
export function roman(n) {
  const numerals = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'],
    [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  if (!Number.isInteger(n) || n <= 0 || n > 3999) return String(n);
  let out = '';
  for (const [value, symbol] of numerals) {
    while (n >= value) { out += symbol; n -= value; }
  }
  return out;
}

/** "Hungary", or the code when the delegation is unknown. */
export function delegationName(participants, code) {
  return participants.get(code)?.name ?? code;
}

/** "France", "France and Italy", "France, Italy and Spain". */
export function names(list) {
  const all = [...list];
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

/** The words for a value of a plain table (RuleLabels, RoleLabels, ReservationLabels). */
export function textOf(table, value) {
  return table[value] ?? String(value ?? '');
}

/** A seat in words, its role and delegation ({role, delegationCode}): "Delegate, FR", "Chair". */
export function seatText({ role, delegationCode }) {
  const words = textOf(RoleLabels, role);
  return delegationCode ? `${words}, ${delegationCode}` : words;
}

/** What each rule requires, in a sentence: fixed text about the rule, not a count. */
export const RuleExplanations = Object.freeze({
  consensus: 'Agreed when no member state objects.',
  unanimity: 'No member state may oppose; abstentions do not prevent adoption.',
  unanimityWithConstructiveAbstention: 'Unanimity; a member state that abstains constructively is not bound, and does not block unless a third of the members, with a third of the population, do so.',
  qualifiedMajority: '55% of the member states (at least 15), representing 65% of the population.',
  reinforcedQualifiedMajority: '72% of the member states, representing 65% of the population.',
  simpleMajority: 'A majority of the member states.',
  forInformation: 'For information: nothing is decided.',
});
