import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coreTeamAt,
  coreTeamAttendeesAt,
  coreTeamRefusal,
  coversMoment,
  editCoreTeam,
  episodeIsOpen,
  isEpisodeDueForPurge,
  type CoreTeamPeriod,
  type EpisodeFacts,
} from './network-episode.ts';

const DAY = 86_400_000;
const periods: CoreTeamPeriod[] = [
  { staffId: 'a', from: 0, until: null },
  { staffId: 'b', from: 0, until: 10 * DAY },
  { staffId: 'c', from: 10 * DAY, until: null },
  { staffId: 'b', from: 20 * DAY, until: null },
];

describe('core team over time', () => {
  it.each<[string, number, string[]]>([
    ['at the start', 0, ['a', 'b']],
    ['just before an edit', 10 * DAY - 1, ['a', 'b']],
    ['at the edit', 10 * DAY, ['a', 'c']],
    ['after b came back', 25 * DAY, ['a', 'b', 'c']],
    ['before the network', -1, []],
  ])('%s', (_name, at, team) => {
    expect([...coreTeamAt(periods, at)].sort()).toEqual(team);
  });

  it.each<[string, string[], number | null, number]>([
    ['two core members in the first days', ['a', 'b', 'x'], DAY, 2],
    ['b, gone at that time, does not count', ['a', 'b'], 15 * DAY, 1],
    ['a person admitted twice counts once', ['a', 'a', 'c'], 15 * DAY, 2],
    ['never started', ['a', 'b'], null, 0],
  ])('%s', (_name, admitted, startedAt, n) => {
    expect(coreTeamAttendeesAt(periods, admitted, startedAt)).toBe(n);
  });

  it('an edit after a meeting never changes its count (property)', () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(
        fc.array(ids, { maxLength: 4 }),
        fc.array(ids, { maxLength: 4 }),
        fc.array(ids, { maxLength: 6 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (team, next, admitted, startedAt, later) => {
          const before: CoreTeamPeriod[] = [...new Set(team)].map((staffId) => ({
            staffId,
            from: 0,
            until: null,
          }));
          const editAt = startedAt + later;
          const { close, open } = editCoreTeam(before, next);
          const after = [
            ...before.map((p) => (close.includes(p.staffId) ? { ...p, until: editAt } : p)),
            ...open.map((staffId) => ({ staffId, from: editAt, until: null })),
          ];
          expect(coreTeamAttendeesAt(after, admitted, startedAt)).toBe(
            coreTeamAttendeesAt(before, admitted, startedAt),
          );
          expect([...coreTeamAt(after, editAt)].sort()).toEqual([...new Set(next)].sort());
        },
      ),
    );
  });

  it('an edit closes the leavers and opens the newcomers only', () => {
    const { close, open } = editCoreTeam(periods, ['a', 'd']);
    expect({ close: [...close].sort(), open }).toEqual({ close: ['b', 'c'], open: ['d'] });
  });

  it('a period covers its start but not its end', () => {
    const p = { staffId: 'a', from: 5, until: 9 };
    expect([4, 5, 8, 9].map((t) => coversMoment(p, t))).toEqual([false, true, true, false]);
  });

  it('refuses an empty core team', () => {
    expect(coreTeamRefusal([])).toBe('core_team_empty');
    expect(coreTeamRefusal(['a'])).toBeNull();
  });
});

describe('closing the care episode', () => {
  const R = 30 * DAY;
  const closed: EpisodeFacts = { closedAt: 0, membersPurgedAt: null, memberLinksUsableUntil: null };
  it.each<[string, EpisodeFacts, number, boolean]>([
    ['open: never', { ...closed, closedAt: null }, 1e15, false],
    ['closed, retention not passed', closed, R - 1, false],
    ['closed, retention passed', closed, R, true],
    ['a link still works', { ...closed, memberLinksUsableUntil: R + DAY }, R, false],
    ['the link has expired', { ...closed, memberLinksUsableUntil: R + DAY }, R + DAY, true],
    ['already purged', { ...closed, membersPurgedAt: R }, 2 * R, false],
  ])('%s', (_name, facts, now, due) => {
    expect(isEpisodeDueForPurge(facts, now, R)).toBe(due);
  });

  it('is never due before the retention period after closing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: R - 1 }), (c, d) => {
        expect(isEpisodeDueForPurge({ ...closed, closedAt: c }, c + d, R)).toBe(false);
      }),
    );
  });

  it('is open until closed', () => {
    expect(episodeIsOpen({ closedAt: null })).toBe(true);
    expect(episodeIsOpen({ closedAt: 1 })).toBe(false);
  });
});
