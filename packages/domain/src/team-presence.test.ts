import { describe, expect, it } from 'vitest';
import type { MeetingRole } from './roles.ts';
import { fewerThanTwoTeam } from './team-presence.ts';

describe('fewerThanTwoTeam', () => {
  it.each<[readonly MeetingRole[], boolean]>([
    [[], true],
    [['facilitator'], true],
    [['facilitator', 'centre', 'network', 'observer'], true],
    [['facilitator', 'team'], false],
    [['cofacilitator', 'team', 'centre'], false],
    [['facilitator', 'cofacilitator'], false],
  ])('%j → %s', (roles, expected) => {
    expect(fewerThanTwoTeam(roles)).toBe(expected);
  });
});
