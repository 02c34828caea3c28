import { describe, expect, it } from 'vitest';
import type { MeetingSummary } from '@polyphony/protocol';
import { meetingOnNow } from './live-meeting.ts';

const meeting = (id: string, state: MeetingSummary['state'], startedAt: string | null) =>
  ({
    id,
    networkId: 'n',
    networkLabel: 'N',
    kind: 'immediate',
    state,
    mode: 'dialogue',
    scheduledAt: null,
    startedAt,
    endedAt: null,
    createdAt: '2026-01-01T09:00:00.000Z',
    purgedAt: null,
  }) satisfies MeetingSummary;

describe('meetingOnNow', () => {
  it('is the latest started live meeting, or none', () => {
    expect(meetingOnNow([])).toBeNull();
    expect(
      meetingOnNow([
        meeting('a', 'ended', '2026-01-01T08:00:00.000Z'),
        meeting('b', 'scheduled', null),
      ]),
    ).toBeNull();
    expect(
      meetingOnNow([
        meeting('c', 'live', '2026-01-01T09:00:00.000Z'),
        meeting('d', 'live', '2026-01-01T10:00:00.000Z'),
        meeting('e', 'ended', '2026-01-01T11:00:00.000Z'),
      ])?.id,
    ).toBe('d');
  });
});
