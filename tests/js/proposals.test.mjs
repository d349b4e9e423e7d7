import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomState } from '../../wwwroot/js/room-state.js';
import { TextOperation } from '../../wwwroot/js/ot.js';
import { describeChange, localSpan, proposalActions, tabledNews } from '../../wwwroot/js/proposals.js';

const item = (id, number, extra = {}) => ({ id, number, title: `Item ${id}`, description: '', rule: 'unanimity', status: 'underDiscussion', lock: null, guests: [], version: 1, ...extra });

const proposal = (extra = {}) => ({
  id: 7, number: 7, itemId: 1, documentId: 'draft:1', delegationCode: 'HU', proposer: 'Hungary', proposedBy: 'Hungary delegate', at: '',
  original: 'should', replacement: 'shall', reason: null, status: 'open', span: { from: 4, to: 10, revision: 2, deleted: false },
  backers: [], objectors: [], carry: null, decision: null, ...extra,
});

function snapshot(extra = {}) {
  return {
    meeting: { id: 1 },
    seq: 40,
    you: { userId: 'me', name: 'Me', role: 'delegate', delegationCode: 'FR' },
    participants: [{ delegationCode: 'FR', name: 'France', kind: 'memberState' }, { delegationCode: 'HU', name: 'Hungary', kind: 'memberState' }],
    items: [item(1, 1)],
    positions: [],
    texts: [{ id: 'draft:1', text: 'One should act.', revision: 2 }],
    proposals: [proposal()],
    ...extra,
  };
}

const edited = (seq, revision, operation, clientOpId = `other-${seq}`) => ({
  meetingId: 1, seq, type: 'text.edited', itemId: 1, actorId: 'x', actor: 'Germany delegate', at: '',
  payload: { documentId: 'draft:1', revision, operation, clientOpId, authorId: 'x', author: 'Germany delegate' },
});

describe('proposals in the room state', () => {
  test('a span moves with the operations others commit', () => {
    const state = new RoomState(snapshot());
    const change = state.apply(edited(41, 3, ['Now ', 15]));
    assert.ok(change.scopes.has('text'));
    assert.deepEqual(state.proposals.get(7).span, { from: 8, to: 14, revision: 3, deleted: false });
    assert.equal(state.texts.get('draft:1').text.slice(8, 14), 'should');
  });

  test('our own acknowledged operation moves the span too, and the editor shows it through what is still unconfirmed', () => {
    let n = 0;
    const state = new RoomState(snapshot(), { newClientOpId: () => `mine-${++n}` });
    const shared = state.text('draft:1');
    shared.apply(TextOperation.fromJSON(['Yes, ', 15]));
    shared.apply(TextOperation.fromJSON([20, ' Now.']));
    assert.deepEqual(localSpan(state.proposals.get(7), shared), { from: 9, to: 15, revision: 2, deleted: false });
    assert.equal(shared.text.slice(9, 15), 'should');
    state.apply(edited(41, 3, ['Yes, ', 15], 'mine-1'));
    assert.equal(state.proposals.get(7).span.revision, 3);
    assert.equal(shared.text.slice(localSpan(state.proposals.get(7), shared).from, localSpan(state.proposals.get(7), shared).to), 'should');
  });

  test('proposal events replace the proposal whole, and the room hears of them in words', () => {
    const state = new RoomState(snapshot());
    const change = state.apply({ meetingId: 1, seq: 41, type: 'proposal.supported', itemId: 1, actorId: 'x', actor: 'Germany delegate', at: '', payload: proposal({ backers: ['DE'] }) });
    assert.deepEqual(state.proposals.get(7).backers, ['DE']);
    assert.match(change.announce, /Proposal 7 of Hungary: 1 backing, 0 objecting/);
    const accepted = state.apply({ meetingId: 1, seq: 42, type: 'proposal.accepted', itemId: 1, actorId: 'c', actor: 'Chair', at: '', payload: proposal({ status: 'accepted' }) });
    assert.equal(accepted.announce, 'Chair accepted proposal 7 of Hungary.');
    assert.deepEqual(state.proposals.forItem(1).map((p) => p.status), ['accepted']);
  });

  test('a proposal that lapses with its item\'s agreement is closed on the page and said so', () => {
    const state = new RoomState(snapshot());
    const decision = { by: 'Silence procedure', at: '', reason: 'item 1 was agreed while it was still open', acceptedRevision: null };
    const change = state.apply({ meetingId: 1, seq: 41, type: 'proposal.lapsed', itemId: 1, actorId: '', actor: 'Silence procedure', at: '', payload: proposal({ status: 'lapsed', decision }) });
    assert.ok(change.scopes.has('proposals'));
    assert.equal(change.announce, 'Proposal 7 of Hungary lapsed: item 1 was agreed while it was still open.');
    // Said together with the others the same agreement lapses: one sentence for them all.
    assert.match(change.join.key, /^lapsed:1:/);
    assert.equal(change.join.whole([change.join.part, '8 of Poland']), 'Proposals 7 of Hungary and 8 of Poland lapsed: item 1 was agreed while it was still open.');
    assert.deepEqual(state.proposals.forItem(1).map((p) => p.status), ['lapsed']);
    assert.deepEqual(Object.values(proposalActions(state.proposals.get(7), { role: 'chair', delegationCode: null }, null)).filter((v) => v === true), []);
  });

  test('a proposal reassessed (the item\'s rule changed) takes its new carry quietly', () => {
    const state = new RoomState(snapshot({ proposals: [proposal({ carry: { carries: true, outcome: 'adopted', reason: '' } })] }));
    const carry = { carries: false, outcome: 'notAdopted', reason: 'Not adopted: only 1 of 27 member states in favour' };
    const change = state.apply({ meetingId: 1, seq: 41, type: 'proposal.reassessed', itemId: 1, actorId: 'c', actor: 'Chair', at: '', payload: proposal({ carry }) });
    assert.ok(change.scopes.has('proposals'));
    assert.equal(change.itemId, 1);
    assert.deepEqual(state.proposals.get(7).carry, carry);
    assert.equal(change.announce, null);
  });

  test('who may act on a proposal, as the buttons show it', () => {
    const p = proposal();
    assert.deepEqual(proposalActions(p, { role: 'delegate', delegationCode: 'FR', canEditDrafts: true }, null), { back: true, object: true, accept: false, reject: false, withdraw: false, voice: 'none' });
    assert.deepEqual(proposalActions(p, { role: 'delegate', delegationCode: 'HU', canEditDrafts: true }, null), { back: false, object: false, accept: false, reject: false, withdraw: true, voice: 'none' });
    assert.deepEqual(proposalActions(p, { role: 'chair', delegationCode: null }, null), { back: false, object: false, accept: true, reject: true, withdraw: false, voice: 'none' });
    assert.equal(proposalActions(p, { role: 'chair', delegationCode: null }, 'Locked').accept, false);
    // A coalition statement open for signature: its text does not move, so nothing is accepted into it (the server
    // refuses); the proposal can still be rejected, withdrawn, backed or objected to.
    const signing = proposalActions(p, { role: 'chair', delegationCode: null }, null, 'Open for signature: the statement’s text is frozen.');
    assert.deepEqual({ accept: signing.accept, reject: signing.reject }, { accept: false, reject: true });
    assert.equal(proposalActions(p, { role: 'delegate', delegationCode: 'FR', canEditDrafts: true }, null, 'Open for signature.').back, true);
    // A guest's delegate reads proposals and has no voice on them (the server refuses it): no Back or Object to press.
    assert.deepEqual(proposalActions(p, { role: 'delegate', delegationCode: 'UK', canEditDrafts: false }, null), { back: false, object: false, accept: false, reject: false, withdraw: false, voice: 'none' });
    assert.equal(proposalActions({ ...p, span: { ...p.span, deleted: true } }, { role: 'chair' }, null).accept, false);
    // An admin who also holds Hungary's seat acts as the chair (the server tables as the Presidency for them), so it does
    // not withdraw Hungary's proposal: the server refused the Withdraw the panel offered. The Presidency's own, it does.
    const admin = { role: 'delegate', delegationCode: 'HU', canEditDrafts: true, isAdmin: true };
    assert.deepEqual(proposalActions(p, admin, null), { back: false, object: false, accept: true, reject: true, withdraw: false, voice: 'none' });
    assert.equal(proposalActions({ ...p, delegationCode: null, proposer: 'the Presidency' }, admin, null).withdraw, true);
  });

  test('a change in words', () => {
    assert.equal(describeChange(proposal()), 'replace “should” by “shall”');
    assert.equal(describeChange(proposal({ original: '', replacement: 'firmly' })), 'insert “firmly”');
    assert.equal(describeChange(proposal({ replacement: '' })), 'delete “should”');
  });

  test('the answer to tabling says what became of the proposal, when a press sent again finds it decided', () => {
    assert.equal(tabledNews(proposal()), 'Proposal 7 of Hungary is tabled.');
    const decision = { by: 'Presidency chair', at: '', reason: null, acceptedRevision: 9 };
    assert.equal(tabledNews(proposal({ status: 'accepted', decision })), 'Proposal 7 of Hungary was tabled, and has since been accepted by Presidency chair.');
    assert.equal(tabledNews(proposal({ status: 'rejected', decision: { ...decision, acceptedRevision: null } })), 'Proposal 7 of Hungary was tabled, and has since been rejected by Presidency chair.');
    assert.equal(tabledNews(proposal({ status: 'withdrawn', decision })), 'Proposal 7 of Hungary was tabled, and has since been withdrawn.');
    assert.equal(tabledNews(proposal({ status: 'lapsed', decision })), 'Proposal 7 of Hungary was tabled, and has since lapsed: its item was agreed.');
  });
});
