import type { AdmissionView } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { centreIsAsked, lobbyStatus } from './lobby-status.ts';

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
