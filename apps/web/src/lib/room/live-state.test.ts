import type {
  AdmissionView,
  LiveEvent,
  LiveSnapshot,
  LobbyEntry,
  RosterEntry,
} from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { applyServerMessage, isInRoom, type LiveState } from './live-state.ts';

const me: RosterEntry = {
  participantId: 'p1',
  displayName: 'Aino',
  role: 'centre',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};
const lee: RosterEntry = {
  participantId: 'p2',
  displayName: 'Dr Lee',
  role: 'facilitator',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};
const media = { url: 'ws://127.0.0.1:7880', token: 't', identity: 'p1' };

const snapshot: LiveSnapshot = {
  type: 'snapshot',
  seq: 5,
  meeting: { id: 'm1', mode: 'dialogue', state: 'live', encrypted: true },
  me,
  participants: [me, lee],
  media: null,
};

const event = (seq: number, body: Record<string, unknown> & { type: string }): LiveEvent => ({
  type: 'event',
  seq,
  at: '2026-01-01T00:00:00Z',
  // Events the tests make up are checked by the reducer, not by the frame's schema.
  event: body as LiveEvent['event'],
});

function stateAfter(...messages: Parameters<typeof applyServerMessage>[1][]): LiveState {
  let state: LiveState | null = null;
  for (const message of messages) {
    const outcome = applyServerMessage(state, message);
    if (outcome.kind !== 'applied') throw new Error(`unexpected ${outcome.kind}`);
    state = outcome.state;
  }
  if (state === null) throw new Error('no state');
  return state;
}

describe('applyServerMessage', () => {
  it('takes everything from a snapshot and keeps me out of the others', () => {
    const state = stateAfter(snapshot);
    expect(state).toMatchObject({
      seq: 5,
      meetingId: 'm1',
      mode: 'dialogue',
      ended: false,
      me,
      others: [lee],
      media: null,
      admission: null,
      lobby: null,
      wishes: [],
    });
    expect(isInRoom(state)).toBe(true);
  });

  it('a later snapshot (resume) replaces the state', () => {
    const state = stateAfter(snapshot, { ...snapshot, seq: 9, participants: [me], media });
    expect(state.seq).toBe(9);
    expect(state.others).toEqual([]);
    expect(state.media).toEqual(media);
  });

  it.each([
    ['mode change', { type: 'mode.changed', mode: 'reflecting' }, { mode: 'reflecting' }],
    ['someone leaving', { type: 'participant.left', participantId: 'p2' }, { others: [] }],
    [
      'end-to-end encryption turned off',
      {
        type: 'settings.changed',
        settings: { networkCamerasInReflection: true, endToEndEncrypted: false },
        by: 'p1',
      },
      { encrypted: false },
    ],
    [
      'another setting changed (encryption stays on)',
      {
        type: 'settings.changed',
        settings: { networkCamerasInReflection: false, endToEndEncrypted: true },
        by: 'p1',
      },
      {},
    ],
    [
      'another device of someone in the room turned away (they stay)',
      { type: 'participant.declined', participantId: 'p2', otherDevice: true },
      {},
    ],
    [
      'an admission (the roster follows)',
      { type: 'participant.admitted', participantId: 'p3' },
      {},
    ],
    [
      'a companions change',
      { type: 'companions.changed', participantId: 'p2', added: ['Mum'], removed: [] },
      { notice: { seq: 6, participantId: 'p2', added: ['Mum'], removed: [] } },
    ],
    ['a wish to respond', { type: 'hand.raised', participantId: 'p2' }, { wishes: ['p2'] }],
    [
      'a second device using someone’s media identity',
      { type: 'media.displaced', participantId: 'p2' },
      { displaced: { seq: 6, participantId: 'p2' } },
    ],
    ['the end', { type: 'meeting.ended', by: 'p2' }, { ended: true }],
    ['an event the room does not show', { type: 'record.added', text: 'x' }, {}],
  ])('applies %s and advances seq', (_name, body, change) => {
    const state = stateAfter(snapshot, event(6, body));
    expect(state).toEqual({ ...stateAfter(snapshot), seq: 6, ...change });
  });

  it('ignores an event it has already seen', () => {
    expect(applyServerMessage(stateAfter(snapshot), event(5, { type: 'x' })).kind).toBe(
      'duplicate',
    );
    expect(applyServerMessage(stateAfter(snapshot), event(2, { type: 'x' })).kind).toBe(
      'duplicate',
    );
  });

  it('reports a gap when events are missing', () => {
    expect(applyServerMessage(stateAfter(snapshot), event(7, { type: 'x' })).kind).toBe('gap');
  });

  it('reports a gap for anything before the first snapshot', () => {
    expect(applyServerMessage(null, event(1, { type: 'x' })).kind).toBe('gap');
  });
});

const admission = (
  state: AdmissionView['state'],
  retryAt: string | null = null,
): AdmissionView => ({
  state,
  role: 'network',
  admissionNumber: state === 'admitted' ? 1 : 0,
  companions: [],
  retryAt,
  hasCentrePerson: true,
  linkRevoked: false,
});

const waitingEntry: LobbyEntry = {
  participantId: 'p3',
  displayName: 'Dad',
  role: 'network',
  state: 'waiting',
  companions: [{ name: 'Mum', agreed: false }],
  basis: 'two_keys',
  needsFacilitator: true,
  facilitatorAgreed: false,
  needsCentre: true,
  centreAgreed: false,
  pendingCompanions: ['Mum'],
};

describe('views: admission, lobby, roster', () => {
  it('a waiting person is out of the room and accepts gaps (they see only their own events)', () => {
    const state = stateAfter(snapshot, {
      type: 'admission',
      seq: 5,
      admission: admission('waiting'),
    });
    expect(isInRoom(state)).toBe(false);
    expect(applyServerMessage(state, event(9, { type: 'x' })).kind).toBe('applied');
  });

  it('media access from the snapshot is kept once admitted; being asked to step out drops it', () => {
    const admitted = stateAfter(
      { ...snapshot, media },
      { type: 'admission', seq: 6, admission: admission('admitted') },
    );
    expect(isInRoom(admitted)).toBe(true);
    expect(admitted.media).toEqual(media);
    const out = stateAfter(
      { ...snapshot, media },
      {
        type: 'admission',
        seq: 7,
        admission: admission('stepped_out'),
      },
    );
    expect(out.media).toBeNull();
    expect(isInRoom(out)).toBe(false);
  });

  it('drops an admission view older than the one it has', () => {
    const state = stateAfter(snapshot, {
      type: 'admission',
      seq: 8,
      admission: admission('admitted'),
    });
    expect(
      applyServerMessage(state, { type: 'admission', seq: 7, admission: admission('waiting') })
        .kind,
    ).toBe('duplicate');
  });

  it('takes the lobby and the roster as whole replacements, updating me from the roster', () => {
    const newMe = { ...me, companions: ['Grandad'] };
    const state = stateAfter(
      snapshot,
      { type: 'lobby', seq: 5, hasCentrePerson: false, waiting: [waitingEntry] },
      { type: 'roster', seq: 5, participants: [newMe] },
    );
    expect(state.lobby).toEqual({ hasCentrePerson: false, waiting: [waitingEntry] });
    expect(state.me).toEqual(newMe);
    expect(state.others).toEqual([]);
  });

  it('collects wishes during a reflection and keeps the order on return to dialogue', () => {
    const state = stateAfter(
      snapshot,
      event(6, { type: 'mode.changed', mode: 'reflecting' }),
      event(7, { type: 'hand.raised', participantId: 'p2' }),
      event(8, { type: 'hand.raised', participantId: 'p1' }),
      event(9, { type: 'hand.raised', participantId: 'p2' }),
    );
    expect(state.wishes).toEqual(['p2', 'p1']);
    const back = stateAfter(
      snapshot,
      event(6, { type: 'mode.changed', mode: 'reflecting' }),
      event(7, { type: 'hand.raised', participantId: 'p2' }),
      event(8, { type: 'mode.changed', mode: 'dialogue', respondOrder: ['p2'] }),
    );
    expect(back.wishes).toEqual([]);
    expect(back.respondOrder).toEqual(['p2']);
  });
});
