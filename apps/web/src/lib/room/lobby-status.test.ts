import type { AdmissionView } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { centreIsAsked, knocksToComeBack, lobbyStatus, mayKnockAgain } from './lobby-status.ts';

const base: AdmissionView = {
  state: 'waiting',
  role: 'network',
  admissionNumber: 0,
  companions: [],
  retryAt: null,
  hasCentrePerson: true,
  linkRevoked: false,
};
const now = Date.parse('2026-01-01T10:00:00Z');

describe('lobbyStatus', () => {
  it.each([
    [{ state: 'waiting' }, { kind: 'waiting' }],
    [{ state: 'invited' }, { kind: 'not_entered' }],
    [{ state: 'invited', linkRevoked: true }, { kind: 'link_revoked' }],
    [{ state: 'admitted' }, { kind: 'in_room' }],
    [{ state: 'stepped_out' }, { kind: 'stepped_out' }],
    [{ state: 'left' }, { kind: 'left' }],
    [{ state: 'waiting', linkRevoked: true }, { kind: 'link_revoked' }],
    [{ state: 'admitted', linkRevoked: true }, { kind: 'in_room' }],
    [
      { state: 'declined', retryAt: '2026-01-01T10:05:00Z' },
      { kind: 'declined', retryAt: new Date('2026-01-01T10:05:00Z') },
    ],
    [
      { state: 'declined', retryAt: '2026-01-01T09:00:00Z' },
      { kind: 'declined', retryAt: null },
    ],
    [
      { state: 'declined', retryAt: null },
      { kind: 'declined', retryAt: null },
    ],
  ] as const)('%j → %j', (change, expected) => {
    expect(lobbyStatus({ ...base, ...change }, now)).toEqual(expected);
  });
});

describe('centreIsAsked', () => {
  it.each([
    [{ role: 'network' }, true],
    [{ role: 'observer' }, true],
    [{ role: 'network', hasCentrePerson: false }, false],
    [{ role: 'centre' }, false],
    [{ role: 'facilitator' }, false],
    [{ role: 'cofacilitator' }, false],
    [{ role: 'team' }, false],
  ] satisfies [Partial<AdmissionView>, boolean][])('%o: %s', (change, expected) => {
    expect(centreIsAsked({ ...base, ...change })).toBe(expected);
  });
});

describe('coming back', () => {
  it.each([
    ['facilitator', false],
    ['cofacilitator', false],
    ['team', false],
    ['centre', true],
    ['network', true],
    ['observer', true],
  ] as const)('a %s knocks to come back: %s', (role, knocks) => {
    expect(knocksToComeBack(role)).toBe(knocks);
  });

  it.each([
    [{ kind: 'left' }, true],
    [{ kind: 'declined', retryAt: null }, true],
    [{ kind: 'declined', retryAt: new Date(now + 60_000) }, false],
    [{ kind: 'waiting' }, false],
    [{ kind: 'stepped_out' }, false],
    [{ kind: 'link_revoked' }, false],
    [{ kind: 'not_entered' }, false],
    [{ kind: 'in_room' }, false],
  ] as const)('the lobby offers to knock again for %o: %s', (status, offered) => {
    expect(mayKnockAgain(status)).toBe(offered);
  });
});
