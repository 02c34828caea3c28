import type { Invite, NetworkDetail } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import {
  invitePeople,
  mayMakeCofacilitator,
  mayMakeInterpreter,
  otherInvites,
  type InvitePerson,
} from './invite-people.ts';

const NOW = Date.parse('2025-05-01T12:00:00Z');
const member = (id: string, name: string, isCentre = false) => ({
  id,
  name,
  relationship: '',
  isCentre,
  preApprovedAt: null,
  preApprovedBy: null,
});
const network: Pick<NetworkDetail, 'members' | 'coreTeam'> = {
  members: [member('m-anna', 'Anna'), member('m-sam', 'Sam', true)],
  coreTeam: [{ staffId: 's-lee', displayName: 'Dr Lee', role: 'clinician' }],
};
const invite = (over: Partial<Invite>): Invite => ({
  id: 'i',
  memberId: null,
  staffId: null,
  name: '',
  role: 'network',
  language: null,
  expiresAt: '2025-05-02T12:00:00Z',
  revokedAt: null,
  used: false,
  createdAt: '2025-05-01T10:00:00Z',
  ...over,
});

describe('invitePeople', () => {
  it('lists the centre person first, then members, then the core team', () => {
    expect(invitePeople(network, [], NOW).map((p) => [p.name, p.kind, p.isCentre])).toEqual([
      ['Sam', 'member', true],
      ['Anna', 'member', false],
      ['Dr Lee', 'staff', false],
    ]);
  });

  it('picks the newest usable link, ignoring revoked and expired ones', () => {
    const invites = [
      invite({ id: 'old', memberId: 'm-anna', createdAt: '2025-05-01T09:00:00Z' }),
      invite({ id: 'new', memberId: 'm-anna', createdAt: '2025-05-01T11:00:00Z' }),
      invite({ id: 'revoked', memberId: 'm-sam', revokedAt: '2025-05-01T11:00:00Z' }),
      invite({ id: 'expired', staffId: 's-lee', expiresAt: '2025-05-01T11:59:00Z' }),
    ];
    expect(invitePeople(network, invites, NOW).map((p) => p.usable?.id ?? null)).toEqual([
      null,
      'new',
      null,
    ]);
  });

  it('keeps usable links of anyone else for a separate list', () => {
    const invites = [
      invite({ id: 'anna', memberId: 'm-anna' }),
      invite({ id: 'anna-older', memberId: 'm-anna', createdAt: '2025-05-01T08:00:00Z' }),
      invite({ id: 'guest', staffId: 's-other', role: 'observer' }),
      invite({ id: 'gone', staffId: 's-other2', revokedAt: '2025-05-01T11:00:00Z' }),
    ];
    const people = invitePeople(network, invites, NOW);
    expect(otherInvites(people, invites, NOW).map((i) => i.id)).toEqual(['anna-older', 'guest']);
  });
});

describe('mayMakeCofacilitator', () => {
  const staff: InvitePerson = {
    key: 'staff:s-jussi',
    target: { staffId: 's-jussi' },
    name: 'Jussi',
    kind: 'staff',
    isCentre: false,
    usable: null,
  };
  it.each([
    ['staff without a link', staff, true],
    ['staff with an unused team link', { ...staff, usable: invite({ role: 'team' }) }, true],
    [
      'staff already in with their team link',
      { ...staff, usable: invite({ role: 'team', used: true }) },
      false,
    ],
    ['the host', { ...staff, usable: invite({ role: 'facilitator' }) }, false],
    ['already cofacilitator', { ...staff, usable: invite({ role: 'cofacilitator' }) }, false],
    ['a network member', { ...staff, kind: 'member' as const }, false],
  ])('%s → %s', (_name, person, expected) => {
    expect(mayMakeCofacilitator(person)).toBe(expected);
  });
});

describe('mayMakeInterpreter', () => {
  const layla: InvitePerson = {
    key: 'member:m-layla',
    target: { memberId: 'm-layla' },
    name: 'Layla',
    kind: 'member',
    isCentre: false,
    usable: null,
  };
  it.each([
    ['a member without a link', layla, true],
    ['a member with a link', { ...layla, usable: invite({ role: 'network' }) }, false],
    ['the person at the centre', { ...layla, isCentre: true }, false],
    ['core-team staff', { ...layla, kind: 'staff' as const }, false],
  ])('%s → %s', (_name, person, expected) => {
    expect(mayMakeInterpreter(person)).toBe(expected);
  });
});
