import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  currentIdentities,
  isIdentityCurrent,
  mediaIdentity,
  parseMediaIdentity,
} from './media-identity.ts';
import { T0, fullRoom, run } from './testing/meeting-fixture.ts';

describe('mediaIdentity and parseMediaIdentity', () => {
  it('round-trip any participant id and admission number', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1 }), (id, n) => {
        expect(parseMediaIdentity(mediaIdentity(id, n))).toEqual({
          participantId: id,
          admissionNumber: n,
        });
      }),
    );
  });

  it.each([
    ['', 'empty'],
    ['abc', 'no separator'],
    ['.3', 'no participant id'],
    ['abc.', 'no number'],
    ['abc.0', 'admission numbers start at 1'],
    ['abc.01', 'not canonical'],
    ['abc.1.5x', 'not a number'],
    ['abc.-2', 'negative'],
    ['abc.99999999999999999999', 'beyond safe integers'],
  ])('refuse %j (%s)', (identity) => {
    expect(parseMediaIdentity(identity)).toBeNull();
  });

  it('reads an id that itself contains the separator', () => {
    expect(parseMediaIdentity('a.b.7')).toEqual({ participantId: 'a.b', admissionNumber: 7 });
  });
});

describe('isIdentityCurrent', () => {
  it('accepts exactly the current admission of admitted participants', () => {
    const { state } = fullRoom();
    expect(currentIdentities(state)).toEqual(['f.1', 'c.1', 't.1', 'z.1', 'n.1', 'o.1']);
    for (const identity of currentIdentities(state)) {
      expect(isIdentityCurrent(state, identity)).toBe(true);
    }
  });

  it.each([
    ['n.2', 'a future admission number'],
    ['ghost.1', 'an unknown participant'],
    ['intruder', 'a foreign identity'],
  ])('refuses %s (%s)', (identity) => {
    expect(isIdentityCurrent(fullRoom().state, identity)).toBe(false);
  });

  it('refuses everyone once the meeting ends', () => {
    const { state } = run([{ type: 'end', actorId: 'f' }], fullRoom(), T0 + 3_600_000);
    expect(currentIdentities(state)).toEqual([]);
    expect(isIdentityCurrent(state, 'f.1')).toBe(false);
  });
});
