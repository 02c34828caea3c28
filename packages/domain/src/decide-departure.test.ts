import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { isIdentityCurrent, mediaIdentity } from './media-identity.ts';
import {
  T0,
  accepted,
  fullRoom,
  knock,
  liveMeeting,
  run,
  types,
  who,
} from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;

describe('declining', () => {
  it('by a facilitator keeps the centre person’s consent', () => {
    const { state, events } = run(
      [
        knock('n'),
        { type: 'consent', actorId: 'z', targetId: 'n' },
        { type: 'decline', actorId: 'f', targetId: 'n' },
      ],
      liveMeeting(),
      LATER,
    );
    expect(types(events).at(-1)).toBe('participant.declined');
    expect(who(state, 'n')).toMatchObject({ state: 'declined', consent: { by: 'z' } });
  });

  it('by the centre person withdraws their consent too', () => {
    const { state, events } = run(
      [
        { type: 'consent', actorId: 'z', targetId: 'n' },
        knock('n'),
        { type: 'decline', actorId: 'z', targetId: 'n' },
      ],
      liveMeeting(),
      LATER,
    );
    expect(types(events).slice(-2)).toEqual(['consent.withdrawn', 'participant.declined']);
    expect(who(state, 'n')).toMatchObject({ state: 'declined', consent: null });
  });
});

describe('asking someone to leave (withdrawal)', () => {
  it('returns them to the lobby; re-admission takes both keys and a new number', () => {
    const room = fullRoom();
    const first = mediaIdentity('n', 1);
    expect(isIdentityCurrent(room.state, first)).toBe(true);
    const removed = run([{ type: 'remove', actorId: 'z', targetId: 'n' }], room, LATER);
    expect(types(removed.events).slice(-2)).toEqual(['consent.withdrawn', 'participant.removed']);
    expect(removed.events.at(-1)).toMatchObject({ admissionNumber: 1, by: 'z' });
    expect(who(removed.state, 'n')).toMatchObject({ state: 'stepped_out', consent: null });
    expect(isIdentityCurrent(removed.state, first)).toBe(false);

    const admitOnly = run(
      [{ type: 'admit', actorId: 'f', targetId: 'n' }],
      removed,
      LATER + 60_000,
    );
    expect(who(admitOnly.state, 'n').state).toBe('stepped_out');
    const back = run([{ type: 'consent', actorId: 'z', targetId: 'n' }], admitOnly, LATER + 70_000);
    expect(who(back.state, 'n')).toMatchObject({ state: 'admitted', admissionNumber: 2 });
    expect(isIdentityCurrent(back.state, first)).toBe(false);
    expect(isIdentityCurrent(back.state, mediaIdentity('n', 2))).toBe(true);
  });

  it('spends the agreement to their companions too', () => {
    const room = run(
      [
        { type: 'update_own_companions', actorId: 'n', companions: ['Mum'] },
        { type: 'consent', actorId: 'z', targetId: 'n' },
        { type: 'remove', actorId: 'z', targetId: 'n' },
      ],
      fullRoom(),
      LATER,
    );
    expect(who(room.state, 'n').companions).toEqual([{ name: 'Mum', agreed: false }]);
    const declined = run([{ type: 'decline', actorId: 'z', targetId: 'n' }], room, LATER + 5000);
    expect(who(declined.state, 'n').companions).toEqual([{ name: 'Mum', agreed: false }]);
  });

  it('by a facilitator also spends the consent, without a withdrawal event', () => {
    const { state, events } = run(
      [{ type: 'remove', actorId: 'f', targetId: 'o' }],
      fullRoom(),
      LATER,
    );
    expect(types(events).at(-1)).toBe('participant.removed');
    expect(types(events)).not.toContain('consent.withdrawn');
    expect(who(state, 'o')).toMatchObject({ state: 'stepped_out', consent: null });
  });

  it('lets a removed core-team member sign straight back in with a new number', () => {
    const { state } = run(
      [{ type: 'remove', actorId: 'f', targetId: 't' }, knock('t')],
      fullRoom(),
      LATER,
    );
    expect(who(state, 't')).toMatchObject({ state: 'admitted', admissionNumber: 2 });
  });

  it('does not bring a removed colleague back as a side effect of consent to a companion', () => {
    const { state } = run(
      [
        { type: 'update_own_companions', actorId: 't', companions: ['Student nurse'] },
        { type: 'remove', actorId: 'f', targetId: 't' },
        { type: 'consent', actorId: 'z', targetId: 't' },
        { type: 'update_own_companions', actorId: 't', companions: [] },
      ],
      fullRoom(),
      LATER,
    );
    expect(who(state, 't')).toMatchObject({ state: 'stepped_out', admissionNumber: 1 });
  });

  it('can readmit a removed core-team member from the lobby by a facilitator', () => {
    const { state, events } = run(
      [
        { type: 'remove', actorId: 'f', targetId: 'c' },
        { type: 'admit', actorId: 'f', targetId: 'c' },
      ],
      fullRoom(),
      LATER,
    );
    expect(events.at(-1)).toMatchObject({ type: 'participant.admitted', basis: 'core_team' });
    expect(who(state, 'c').admissionNumber).toBe(2);
  });
});

describe('leaving', () => {
  it('from the room or the lobby; from away it changes nothing', () => {
    const { state, events } = run(
      [knock('n'), { type: 'leave', actorId: 'n' }, { type: 'leave', actorId: 'z' }],
      liveMeeting(),
      LATER,
    );
    expect(types(events).slice(-2)).toEqual(['participant.left', 'participant.left']);
    expect(who(state, 'n').state).toBe('left');
    expect(who(state, 'z').state).toBe('left');
    expect(accepted(decide(state, { type: 'leave', actorId: 'n' }, LATER + 9)).events).toEqual([]);
    expect(accepted(decide(state, { type: 'leave', actorId: 'o' }, LATER + 9)).events).toEqual([]);
  });

  it('clears the facilitator’s key: a new knock needs a new admit', () => {
    const { state } = run(
      [
        knock('n'),
        { type: 'admit', actorId: 'f', targetId: 'n' },
        { type: 'leave', actorId: 'n' },
        knock('n'),
      ],
      liveMeeting(),
      LATER,
    );
    expect(who(state, 'n')).toMatchObject({ state: 'waiting', facilitatorKey: null });
  });
});
