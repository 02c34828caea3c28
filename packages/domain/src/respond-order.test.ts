import { describe, expect, it } from 'vitest';
import { RESPONDED_AFTER_MS, respondTurns } from './respond-order.ts';
import type { SpeakerChange } from './voices.ts';

const answered = (
  order: readonly string[],
  changes: readonly SpeakerChange[],
  since: number,
  now: number,
) =>
  Object.fromEntries(
    respondTurns(order, changes, since, now).map((t) => [t.participantId, t.answered]),
  );

describe('respondTurns', () => {
  it.each<[string, readonly SpeakerChange[], number, Record<string, boolean>]>([
    ['nobody has spoken', [], 10_000, { dad: false, sam: false }],
    [
      'Dad spoke long enough after the return; Sam not at all',
      [
        { at: 1000, speakers: ['dad'] },
        { at: 1000 + RESPONDED_AFTER_MS, speakers: [] },
      ],
      10_000,
      { dad: true, sam: false },
    ],
    [
      'a short "yes" is not a response',
      [
        { at: 1000, speakers: ['dad'] },
        { at: 1500, speakers: [] },
      ],
      10_000,
      { dad: false, sam: false },
    ],
    [
      'speaking before the return to dialogue does not count',
      [
        { at: -5000, speakers: ['dad'] },
        { at: 0, speakers: [] },
      ],
      10_000,
      { dad: false, sam: false },
    ],
    [
      'a turn running across the return counts only from the return',
      [
        { at: -5000, speakers: ['dad'] },
        { at: RESPONDED_AFTER_MS - 1, speakers: [] },
      ],
      10_000,
      { dad: false, sam: false },
    ],
    [
      'the last change runs until now; turns add up; overlapping speakers both count',
      [
        { at: 0, speakers: ['sam', 'sam'] },
        { at: 2000, speakers: [] },
        { at: 3000, speakers: ['dad', 'sam'] },
      ],
      3000 + RESPONDED_AFTER_MS,
      { dad: true, sam: true },
    ],
    [
      'changes out of time order are ignored',
      [
        { at: 1000, speakers: [] },
        { at: 0, speakers: ['dad'] },
        { at: 2000, speakers: [] },
      ],
      10_000,
      { dad: false, sam: false },
    ],
  ])('%s', (_what, changes, now, expected) => {
    expect(answered(['dad', 'sam'], changes, 0, now)).toEqual(expected);
  });

  it('keeps the order of asking, people who never spoke included', () => {
    expect(respondTurns(['sam', 'dad'], [{ at: 0, speakers: ['dad'] }], 0, 60_000)).toEqual([
      { participantId: 'sam', answered: false },
      { participantId: 'dad', answered: true },
    ]);
  });
});
