import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  guestRecordRefusal,
  isLinkUsable,
  linkStanding,
  staffEntry,
  type LinkLifetime,
} from './access.ts';
import { T0, fullRoom, knock, liveMeeting, run } from './testing/meeting-fixture.ts';

const HOUR = 3_600_000;
const open: LinkLifetime = { revokedAt: null, expiresAt: T0 + HOUR };

describe('linkStanding', () => {
  it.each([
    ['fresh', open, T0, 'usable'],
    ['a moment before expiry', open, T0 + HOUR - 1, 'usable'],
    ['at expiry', open, T0 + HOUR, 'expired'],
    ['after expiry', open, T0 + 2 * HOUR, 'expired'],
    ['revoked before expiry', { ...open, revokedAt: T0 }, T0, 'revoked'],
    ['revoked and expired', { ...open, revokedAt: T0 }, T0 + 2 * HOUR, 'revoked'],
    ['no expiry recorded', { revokedAt: null, expiresAt: null }, T0 + 1e12, 'usable'],
  ] as const)('%s: %s', (_name, link, now, standing) => {
    expect(linkStanding(link, now)).toBe(standing);
    expect(isLinkUsable(link, now)).toBe(standing === 'usable');
  });

  it('a revoked link is never usable, whatever the time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.option(fc.integer()),
        fc.integer(),
        (revokedAt, expiresAt, now) => {
          expect(isLinkUsable({ revokedAt, expiresAt }, now)).toBe(false);
        },
      ),
    );
  });
});

describe('staffEntry', () => {
  it.each([
    [true, true, 'own_place'],
    [true, false, 'own_place'],
    [false, true, 'new_place'],
    [false, false, 'needs_link'],
  ] as const)('has a place: %s, core team: %s → %s', (hasPlace, isCoreTeam, entry) => {
    expect(staffEntry({ hasPlace, isCoreTeam })).toBe(entry);
  });
});

describe('guestRecordRefusal', () => {
  const room = fullRoom().state;
  it('reads while in the room with a usable link', () => {
    expect(guestRecordRefusal(open, room, 'n', T0)).toBeNull();
  });
  it.each([
    ['revoked', { ...open, revokedAt: T0 }, room, 'n', 'link_revoked'],
    ['expired', open, room, 'n', 'link_expired'],
    ['another device holds the place', open, null, 'n', 'moved_to_another_device'],
    ['waiting, never let in', open, run([knock('n')], liveMeeting()).state, 'n', 'not_admitted'],
  ] as const)('%s → %s', (_name, link, seen, id, refusal) => {
    const now = refusal === 'link_expired' ? T0 + 2 * HOUR : T0;
    expect(guestRecordRefusal(link, seen, id, now)).toBe(refusal);
  });
});
