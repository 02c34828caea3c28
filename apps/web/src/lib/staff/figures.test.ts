import type { NetworkFigures } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { continuityPercent, durationParts, immediateHelpView } from './figures.ts';

const figures = (over: Partial<NetworkFigures>): NetworkFigures => ({
  firstMeetingAt: null,
  minutesToFirstMeeting: null,
  immediateHelp: 'waiting',
  flagged: false,
  meetingsHeld: 0,
  meetingsWithTwoCoreTeam: 0,
  continuity: null,
  ...over,
});

describe('durationParts', () => {
  it.each([
    [0, { hours: 0, minutes: 0 }],
    [59, { hours: 0, minutes: 59 }],
    [60, { hours: 1, minutes: 0 }],
    [1440, { hours: 24, minutes: 0 }],
    [1625, { hours: 27, minutes: 5 }],
    [90.9, { hours: 1, minutes: 30 }],
    [-5, { hours: 0, minutes: 0 }],
  ])('%s minutes → %o', (minutes, expected) => {
    expect(durationParts(minutes)).toEqual(expected);
  });
});

describe('immediateHelpView', () => {
  const contact = '2025-03-01T08:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it.each([
    [
      'met within 24 h',
      figures({ minutesToFirstMeeting: 200, immediateHelp: 'within_24h' }),
      at('2025-03-05T00:00:00Z'),
      { kind: 'first_meeting', minutes: 200, flagged: false },
    ],
    [
      'first meeting after 24 h (flagged by the server)',
      figures({ minutesToFirstMeeting: 1500, immediateHelp: 'after_24h', flagged: true }),
      at('2025-03-05T00:00:00Z'),
      { kind: 'first_meeting', minutes: 1500, flagged: true },
    ],
    [
      'still waiting: counts from first contact',
      figures({ immediateHelp: 'waiting' }),
      at('2025-03-01T10:30:00Z'),
      { kind: 'no_meeting_yet', minutes: 150, flagged: false },
    ],
    [
      'overdue',
      figures({ immediateHelp: 'overdue', flagged: true }),
      at('2025-03-02T09:00:00Z'),
      { kind: 'no_meeting_yet', minutes: 1500, flagged: true },
    ],
    [
      'first contact set in the future',
      figures({}),
      at('2025-03-01T07:00:00Z'),
      { kind: 'no_meeting_yet', minutes: 0, flagged: false },
    ],
  ])('%s', (_name, f, now, expected) => {
    expect(immediateHelpView(f, contact, now)).toEqual(expected);
  });
});

describe('continuityPercent', () => {
  it.each([
    [null, null],
    [0, 0],
    [2 / 3, 67],
    [1, 100],
  ])('%s → %s', (continuity, expected) => {
    expect(continuityPercent(figures({ continuity }))).toBe(expected);
  });
});
