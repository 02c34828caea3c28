import { describe, expect, it } from 'vitest';
import { grantsFor, mediaAssignments } from './meeting-grants.ts';
import { T0, fullRoom, liveMeeting, run } from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;

describe('grants for a meeting', () => {
  it('gives grants only to admitted participants', () => {
    const { state } = liveMeeting();
    expect(grantsFor(state, 'f')?.canPublishSources).toContain('screen_share');
    expect(grantsFor(state, 'n')).toBeNull();
    expect(grantsFor(state, 'ghost')).toBeNull();
    expect(mediaAssignments(state).map((a) => a.identity)).toEqual(['f.1', 'z.1']);
  });

  it('gives nobody media once the meeting is not live, even someone still marked admitted', () => {
    const { state } = liveMeeting();
    for (const status of ['scheduled', 'ended'] as const) {
      const stopped = { ...state, status };
      expect(grantsFor(stopped, 'f')).toBeNull();
      expect(mediaAssignments(stopped)).toEqual([]);
    }
  });

  it('after a switch to reflecting, blocks every network microphone', () => {
    const { state } = run(
      [{ type: 'switch_mode', actorId: 'f', mode: 'reflecting' }],
      fullRoom(),
      LATER,
    );
    const sources = Object.fromEntries(
      mediaAssignments(state).map((a) => [a.participantId, a.grants.canPublishSources]),
    );
    expect(sources).toEqual({
      f: ['camera', 'microphone'],
      c: ['camera', 'microphone'],
      t: ['camera', 'microphone'],
      z: ['camera'],
      n: ['camera'],
      o: ['camera'],
    });
  });

  it('follows the cameras setting during reflections', () => {
    const { state } = run(
      [
        { type: 'switch_mode', actorId: 'f', mode: 'reflecting' },
        { type: 'change_settings', actorId: 'f', settings: { networkCamerasInReflection: false } },
      ],
      fullRoom(),
      LATER,
    );
    expect(grantsFor(state, 'n')).toMatchObject({ canPublish: false, canPublishSources: [] });
    expect(grantsFor(state, 'n')?.canSubscribe).toBe(true);
  });
});
