import { describe, expect, it } from 'vitest';
import { MODE_TRANSITIONS, canSwitchMode, mayWishToRespond, wishOrder } from './mode-machine.ts';
import { MODES } from './modes.ts';
import { MEETING_ROLES } from './roles.ts';
import { initialMeetingState } from './meeting-state.ts';

describe('mode machine', () => {
  it.each([
    ['dialogue', 'reflecting', true],
    ['reflecting', 'dialogue', true],
    ['dialogue', 'dialogue', false],
    ['reflecting', 'reflecting', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canSwitchMode(from, to)).toBe(allowed);
  });

  it('has transitions from every mode', () => {
    expect(Object.keys(MODE_TRANSITIONS)).toEqual([...MODES]);
  });

  it('lets only the network side wish to respond, only during a reflection', () => {
    const allowed = MEETING_ROLES.filter((r) => mayWishToRespond(r, 'reflecting'));
    expect(allowed).toEqual(['centre', 'network']);
    expect(MEETING_ROLES.some((r) => mayWishToRespond(r, 'dialogue'))).toBe(false);
  });

  it('orders wishes first asked first', () => {
    const state = {
      ...initialMeetingState(),
      wishes: [
        { participantId: 'b', at: 1 },
        { participantId: 'a', at: 2 },
      ],
    };
    expect(wishOrder(state)).toEqual(['b', 'a']);
  });
});
