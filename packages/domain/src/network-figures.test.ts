import { describe, expect, it } from 'vitest';
import { IMMEDIATE_HELP_LIMIT_MS, networkFigures, type MeetingFacts } from './network-figures.ts';

const HOUR = 60 * 60 * 1000;
const CONTACT = Date.UTC(2026, 2, 1, 9, 0, 0);
const held = (hoursAfterContact: number, coreTeamAttendees = 2): MeetingFacts => ({
  startedAt: CONTACT + hoursAfterContact * HOUR,
  coreTeamAttendees,
});
const notHeld: MeetingFacts = { startedAt: null, coreTeamAttendees: 0 };

describe('networkFigures: immediate help', () => {
  it.each([
    [
      'first meeting 23 h after contact',
      [held(23)],
      CONTACT + 30 * HOUR,
      'within_24h',
      false,
      1380,
    ],
    [
      'first meeting exactly 24 h after',
      [held(24)],
      CONTACT + 30 * HOUR,
      'within_24h',
      false,
      1440,
    ],
    ['first meeting 25 h after contact', [held(25)], CONTACT + 30 * HOUR, 'after_24h', true, 1500],
    [
      'earliest started meeting counts',
      [held(30), held(2)],
      CONTACT + 40 * HOUR,
      'within_24h',
      false,
      120,
    ],
    ['no meeting yet, 23 h on', [], CONTACT + 23 * HOUR, 'waiting', false, null],
    ['no meeting yet, 25 h on', [], CONTACT + 25 * HOUR, 'overdue', true, null],
    ['only a scheduled meeting, 25 h on', [notHeld], CONTACT + 25 * HOUR, 'overdue', true, null],
  ] as const)('%s', (_name, meetings, now, status, flagged, minutes) => {
    const figures = networkFigures({ firstContactAt: CONTACT, meetings }, now);
    expect(figures.immediateHelp).toBe(status);
    expect(figures.flagged).toBe(flagged);
    expect(figures.minutesToFirstMeeting).toBe(minutes);
  });

  it('reports when the first meeting started', () => {
    const figures = networkFigures({ firstContactAt: CONTACT, meetings: [held(5), held(3)] }, 0);
    expect(figures.firstMeetingAt).toBe(CONTACT + 3 * HOUR);
    expect(networkFigures({ firstContactAt: CONTACT, meetings: [] }, 0).firstMeetingAt).toBeNull();
  });

  it('uses a 24-hour limit', () => {
    expect(IMMEDIATE_HELP_LIMIT_MS).toBe(24 * HOUR);
  });
});

describe('networkFigures: meetings held and continuity', () => {
  it.each([
    ['none held', [notHeld], 0, 0, null],
    ['one held with one core-team member', [held(1, 1)], 1, 0, 0],
    ['one held with two core-team members', [held(1, 2)], 1, 1, 1],
    ['one held with three core-team members', [held(1, 3)], 1, 1, 1],
    [
      'two of four held meetings with two',
      [held(1, 2), held(2, 1), held(3, 1), held(4, 2), notHeld],
      4,
      2,
      0.5,
    ],
    // An immediate meeting nobody came to started (at its creation) but was never held.
    ['started, nobody from the team came: not held', [held(1, 0), held(2, 2)], 1, 1, 1],
  ] as const)('%s', (_name, meetings, heldCount, withTwo, continuity) => {
    const figures = networkFigures({ firstContactAt: CONTACT, meetings }, CONTACT + 100 * HOUR);
    expect(figures.meetingsHeld).toBe(heldCount);
    expect(figures.meetingsWithTwoCoreTeam).toBe(withTwo);
    expect(figures.continuity).toBe(continuity);
  });
});
