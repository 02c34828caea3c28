import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import {
  T0,
  accepted,
  fullRoom,
  knock,
  liveMeeting,
  refused,
  run,
  types,
  who,
} from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;

describe('updating companions', () => {
  const update = (actorId: string, companions: readonly string[]) =>
    ({ type: 'update_own_companions', actorId, companions }) as const;

  it('announces every change; agreed names stay agreed, new ones await agreement', () => {
    const room = run(
      [update('n', ['Mum']), { type: 'consent', actorId: 'z', targetId: 'n' }],
      fullRoom(),
      LATER,
    );
    const { state, events } = run([update('n', ['Mum', 'Grandad'])], room, LATER + 60_000);
    expect(events.at(-1)).toMatchObject({
      type: 'companions.changed',
      added: ['Grandad'],
      removed: [],
    });
    expect(who(state, 'n')).toMatchObject({
      state: 'admitted',
      companions: [
        { name: 'Mum', agreed: true },
        { name: 'Grandad', agreed: false },
      ],
    });
    const dropped = run([update('n', ['Grandad'])], { state, events }, LATER + 70_000);
    expect(dropped.events.at(-1)).toMatchObject({ added: [], removed: ['Mum'] });
  });

  it('changes nothing when the list is the same', () => {
    const { state } = run([update('n', ['Mum'])], fullRoom(), LATER);
    expect(accepted(decide(state, update('n', [' Mum']), LATER + 5)).events).toEqual([]);
  });

  it('refuses an impossible list', () => {
    refused(decide(fullRoom().state, update('n', ['x'.repeat(81)]), LATER), 'INVALID_INPUT');
  });

  it("needs no agreement for the centre person's own companions", () => {
    const { state } = run([update('z', ['My partner'])], liveMeeting(), LATER);
    expect(who(state, 'z').companions).toEqual([{ name: 'My partner', agreed: true }]);
  });

  it('in the lobby, dropping the last pending companion opens the door', () => {
    const { state, events } = run(
      [
        knock('n', ['Friend']),
        { type: 'record_pre_approval', actorId: 'staff-1', participantId: 'n' },
        { type: 'admit', actorId: 'f', targetId: 'n' },
        update('n', []),
      ],
      liveMeeting(),
      LATER,
    );
    expect(types(events).slice(-2)).toEqual(['companions.changed', 'participant.admitted']);
    expect(who(state, 'n').state).toBe('admitted');
  });

  it('is allowed while waiting, not before knocking', () => {
    refused(decide(liveMeeting().state, update('n', ['Mum']), LATER), 'NOT_ADMITTED');
  });
});
