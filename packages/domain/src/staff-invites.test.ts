import { describe, expect, it } from 'vitest';
import type { MeetingRole } from './roles.ts';
import {
  allowedInviteRoles,
  defaultInviteRole,
  inviteExpiresAt,
  inviteRole,
  mayManageStaff,
  staffMayManageNetwork,
  type Invitee,
} from './staff-invites.ts';

const centre: Invitee = { kind: 'member', isCentre: true };
const member: Invitee = { kind: 'member', isCentre: false };
const creator: Invitee = { kind: 'staff', isCoreTeam: true, isMeetingCreator: true };
const core: Invitee = { kind: 'staff', isCoreTeam: true, isMeetingCreator: false };
const other: Invitee = { kind: 'staff', isCoreTeam: false, isMeetingCreator: false };

describe('invite roles', () => {
  it.each([
    ['centre member', centre, 'centre'],
    ['other member', member, 'network'],
    ['meeting creator', creator, 'facilitator'],
    ['core-team staff', core, 'team'],
    ['other staff', other, 'observer'],
  ] as const)('%s defaults to %s', (_name, invitee, role) => {
    expect(defaultInviteRole(invitee)).toBe(role);
    expect(inviteRole(invitee)).toBe(role);
  });

  it.each<[string, Invitee, MeetingRole, MeetingRole | null]>([
    ['centre as centre', centre, 'centre', 'centre'],
    ['centre as network', centre, 'network', null],
    ['member as observer', member, 'observer', 'observer'],
    ['member as centre', member, 'centre', null],
    ['member as facilitator', member, 'facilitator', null],
    ['core staff as cofacilitator', core, 'cofacilitator', 'cofacilitator'],
    ['other staff as team', other, 'team', 'team'],
    ['staff as centre', creator, 'centre', null],
    ['staff as network', other, 'network', null],
    ['member as interpreter', member, 'interpreter', 'interpreter'],
    ['other staff as interpreter', other, 'interpreter', 'interpreter'],
    ['centre as interpreter', centre, 'interpreter', null],
  ])('%s', (_name, invitee, requested, expected) => {
    expect(inviteRole(invitee, requested)).toBe(expected);
  });

  it('lists the roles that fit', () => {
    expect(allowedInviteRoles(centre)).toEqual(['centre']);
    expect(allowedInviteRoles(member)).toEqual(['network', 'observer', 'interpreter']);
    expect(allowedInviteRoles(other)).toEqual([
      'facilitator',
      'cofacilitator',
      'team',
      'observer',
      'interpreter',
    ]);
  });
});

describe('inviteExpiresAt', () => {
  const DAY = 86_400_000;
  it.each([
    ['immediate meeting: from now', 1000, null, 1000 + 14 * DAY],
    ['scheduled later: from the start', 1000, 1000 + 3 * DAY, 1000 + 17 * DAY],
    ['scheduled in the past: from now', 1000 + 3 * DAY, 1000, 1000 + 17 * DAY],
  ] as const)('%s', (_name, now, scheduledAt, expected) => {
    expect(inviteExpiresAt(now, scheduledAt, 14 * DAY)).toBe(expected);
  });
});

describe('staffMayManageNetwork', () => {
  it.each([
    ['clinician', true, true],
    ['clinician', false, false],
    ['peer_worker', true, true],
    ['peer_worker', false, false],
    ['admin', false, true],
    ['admin', true, true],
  ] as const)('%s, core team %s → %s', (role, isCore, expected) => {
    expect(staffMayManageNetwork(role, isCore)).toBe(expected);
  });
});

describe('mayManageStaff', () => {
  it.each([
    ['clinician', false],
    ['peer_worker', false],
    ['admin', true],
  ] as const)('%s: %s', (role, expected) => {
    expect(mayManageStaff(role)).toBe(expected);
  });
});
