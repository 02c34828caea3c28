import type { LiveEvent, LiveSnapshot, RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { applyServerMessage, type LiveState } from './live-state.ts';

const me: RosterEntry = {
  participantId: 'p1',
  displayName: 'Aino',
  role: 'centre',
  companions: [],
};
const lee: RosterEntry = {
  participantId: 'p2',
  displayName: 'Dr Lee',
  role: 'facilitator',
  companions: [],
};
const media = { url: 'ws://127.0.0.1:7880', token: 't', identity: 'p1' };

const snapshot: LiveSnapshot = {
  type: 'snapshot',
  seq: 5,
  meeting: { id: 'm1', mode: 'dialogue', state: 'live' },
  me,
  participants: [me, lee],
  media: null,
};

const event = (seq: number, body: LiveEvent['event']): LiveEvent => ({
  type: 'event',
  seq,
  at: '2026-01-01T00:00:00Z',
  event: body,
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
    expect(state).toEqual({
      seq: 5,
      meetingId: 'm1',
      mode: 'dialogue',
      me,
      others: [lee],
      media: null,
    });
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
    ['an event the room does not show', { type: 'record.added', text: 'x' }, {}],
  ])('applies %s and advances seq', (_name, body, change) => {
    const state = stateAfter(snapshot, event(6, body));
    expect(state).toEqual({ ...stateAfter(snapshot), seq: 6, ...change });
  });

  it.each([
    ['an admission', { type: 'participant.admitted', participantId: 'p3', admissionNumber: 1 }],
    ['a companions change', { type: 'companions.changed', participantId: 'p2', companions: [] }],
  ])('asks for a fresh snapshot after %s', (_name, body) => {
    expect(applyServerMessage(stateAfter(snapshot), event(6, body)).kind).toBe('resync');
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
    expect(applyServerMessage(null, { type: 'media', media }).kind).toBe('gap');
  });

  it('takes fresh media access without touching the sequence', () => {
    const state = stateAfter(snapshot, { type: 'media', media });
    expect(state.media).toEqual(media);
    expect(state.seq).toBe(5);
  });
});
