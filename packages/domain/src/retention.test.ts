import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { MeetingStatus } from './meeting-state.ts';
import { DEFAULT_MEETING_SETTINGS } from './modes.ts';
import {
  ABANDONED_AFTER_MS,
  isDueForPurge,
  meetingClosedAt,
  purgedMeetingState,
  purgeDueAt,
  recordReadableUntil,
  type MeetingRetentionFacts,
} from './retention.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const RETENTION = 30 * DAY;

const facts = (overrides: Partial<MeetingRetentionFacts>): MeetingRetentionFacts => ({
  status: 'ended',
  createdAt: T0,
  scheduledAt: null,
  startedAt: T0,
  endedAt: T0 + HOUR,
  lastActivityAt: T0 + HOUR,
  linksUsableUntil: T0 + 14 * DAY,
  ...overrides,
});

const ended = facts({});
const live = facts({ status: 'live', endedAt: null, lastActivityAt: T0 + 2 * HOUR });
const neverOpened = facts({
  status: 'scheduled',
  scheduledAt: T0 + 3 * DAY,
  startedAt: null,
  endedAt: null,
  lastActivityAt: T0,
  linksUsableUntil: T0 + 17 * DAY,
});

describe('isDueForPurge', () => {
  it.each([
    ['ended, a day before retention has passed', ended, T0 + HOUR + RETENTION - DAY, false],
    ['ended, a millisecond before', ended, T0 + HOUR + RETENTION - 1, false],
    ['ended, exactly when retention has passed', ended, T0 + HOUR + RETENTION, true],
    ['ended, long after', ended, T0 + 400 * DAY, true],
    [
      'ended, retention passed but a link still works (scheduled later than it ran)',
      facts({ scheduledAt: T0 + 20 * DAY, linksUsableUntil: T0 + 34 * DAY }),
      T0 + HOUR + RETENTION,
      false,
    ],
    [
      'ended, retention passed and the late link has expired',
      facts({ scheduledAt: T0 + 20 * DAY, linksUsableUntil: T0 + 34 * DAY }),
      T0 + 34 * DAY,
      true,
    ],
    ['ended, no links at all', facts({ linksUsableUntil: null }), T0 + HOUR + RETENTION, true],
    [
      'ended without a recorded end time: treated as abandoned',
      facts({ endedAt: null }),
      T0 + HOUR + RETENTION,
      false,
    ],
    [
      'ended without a recorded end time, a quiet week later',
      facts({ endedAt: null }),
      T0 + HOUR + ABANDONED_AFTER_MS + RETENTION,
      true,
    ],
    ['live, in progress', live, T0 + 3 * HOUR, false],
    ['live, retention after its last event', live, T0 + 2 * HOUR + RETENTION, false],
    [
      'live, quiet for a week plus retention',
      live,
      T0 + 2 * HOUR + ABANDONED_AFTER_MS + RETENTION,
      true,
    ],
    [
      'live, quiet a millisecond less',
      live,
      T0 + 2 * HOUR + ABANDONED_AFTER_MS + RETENTION - 1,
      false,
    ],
    [
      'live, still active long after it started',
      facts({ status: 'live', endedAt: null, lastActivityAt: T0 + 300 * DAY }),
      T0 + 301 * DAY,
      false,
    ],
    [
      'live with an empty log: from its start',
      facts({ status: 'live', endedAt: null, lastActivityAt: null, linksUsableUntil: null }),
      T0 + ABANDONED_AFTER_MS + RETENTION,
      true,
    ],
    ['never opened, before its time', neverOpened, T0 + DAY, false],
    [
      'never opened, retention after its scheduled time',
      neverOpened,
      T0 + 3 * DAY + RETENTION,
      false,
    ],
    [
      'never opened, a quiet week past its scheduled time plus retention',
      neverOpened,
      T0 + 3 * DAY + ABANDONED_AFTER_MS + RETENTION,
      true,
    ],
    [
      'never opened, a link made late is still usable',
      facts({ ...neverOpened, lastActivityAt: T0 + 30 * DAY, linksUsableUntil: T0 + 44 * DAY }),
      T0 + 3 * DAY + ABANDONED_AFTER_MS + RETENTION,
      false,
    ],
    [
      'never opened, scheduled in the past: from its creation',
      facts({ ...neverOpened, scheduledAt: T0 - DAY, linksUsableUntil: null }),
      T0 + ABANDONED_AFTER_MS + RETENTION,
      true,
    ],
  ] as const)('%s → %s', (_name, meeting, now, due) => {
    expect(isDueForPurge(meeting, now, RETENTION)).toBe(due);
  });

  it('follows the configured retention', () => {
    expect(isDueForPurge(ended, T0 + HOUR + 14 * DAY, 14 * DAY)).toBe(true);
    expect(isDueForPurge(ended, T0 + HOUR + 14 * DAY, 90 * DAY)).toBe(false);
  });
});

describe('meetingClosedAt', () => {
  it.each([
    ['ended: its end', ended, T0 + HOUR],
    [
      'ended before its recorded creation (clock skew): its creation',
      facts({ endedAt: T0 - 1 }),
      T0,
    ],
    ['live: a quiet week after its last event', live, T0 + 2 * HOUR + ABANDONED_AFTER_MS],
    [
      'never opened: a week past its scheduled time',
      neverOpened,
      T0 + 3 * DAY + ABANDONED_AFTER_MS,
    ],
  ] as const)('%s', (_name, meeting, closedAt) => {
    expect(meetingClosedAt(meeting)).toBe(closedAt);
  });

  it('waits a generous week for meetings nobody ended', () => {
    expect(ABANDONED_AFTER_MS).toBe(7 * DAY);
  });
});

const optionalTime = fc.option(fc.integer({ min: T0 - 100 * DAY, max: T0 + 400 * DAY }), {
  nil: null,
});

describe('purgeDueAt (properties)', () => {
  it('is never before creation plus retention, nor before a usable link expires', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<MeetingStatus>('scheduled', 'live', 'ended'),
        fc.integer({ min: T0 - 100 * DAY, max: T0 + 100 * DAY }),
        optionalTime,
        optionalTime,
        optionalTime,
        optionalTime,
        optionalTime,
        fc.integer({ min: 1, max: 3650 * DAY }),
        (status, createdAt, scheduledAt, startedAt, endedAt, lastActivityAt, links, retention) => {
          const meeting: MeetingRetentionFacts = {
            status,
            createdAt,
            scheduledAt,
            startedAt,
            endedAt,
            lastActivityAt,
            linksUsableUntil: links,
          };
          const due = purgeDueAt(meeting, retention);
          expect(due).toBeGreaterThanOrEqual(createdAt + retention);
          if (links !== null) expect(due).toBeGreaterThanOrEqual(links);
          expect(isDueForPurge(meeting, due - 1, retention)).toBe(false);
          expect(isDueForPurge(meeting, due, retention)).toBe(true);
        },
      ),
    );
  });
});

describe('purgedMeetingState', () => {
  it('is an ended meeting with nobody in it and nothing recorded, keeping its settings', () => {
    const state = purgedMeetingState(DEFAULT_MEETING_SETTINGS);
    expect(state).toMatchObject({
      status: 'ended',
      settings: DEFAULT_MEETING_SETTINGS,
      participants: [],
      record: [],
    });
  });

  it('refuses every command, so nobody can open a purged meeting again', () => {
    const purged = purgedMeetingState(DEFAULT_MEETING_SETTINGS);
    for (const type of ['open_meeting', 'end'] as const) {
      expect(decide(purged, { type, actorId: 'p1' }, T0)).toMatchObject({
        ok: false,
        code: 'MEETING_ENDED',
      });
    }
  });
});

describe('recordReadableUntil', () => {
  const link = (linkExpiresAt: number) => ({ kind: 'link', linkExpiresAt }) as const;
  const staff = { kind: 'staff' } as const;
  it.each([
    [
      'a link holder, after the end: when the link expires',
      ended,
      link(T0 + 14 * DAY),
      T0 + 14 * DAY,
    ],
    ['staff, after the end: when the purge is due', ended, staff, T0 + HOUR + RETENTION],
    [
      'staff, a link outliving the retention: the purge waits for it',
      facts({ linksUsableUntil: T0 + 40 * DAY }),
      staff,
      T0 + 40 * DAY,
    ],
    [
      'a link holder whose link would outlast the purge (revoked links do not hold it): the purge',
      facts({ linksUsableUntil: null }),
      link(T0 + 400 * DAY),
      T0 + HOUR + RETENTION,
    ],
    ['a link holder while the meeting runs: not known yet', live, link(T0 + 14 * DAY), null],
    ['staff while the meeting runs: not known yet', live, staff, null],
    ['staff, a meeting never opened: not known yet', neverOpened, staff, null],
  ] as const)('%s', (_case, f, reader, expected) => {
    expect(recordReadableUntil(f, reader, RETENTION)).toBe(expected);
  });
});
