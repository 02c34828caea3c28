import { describe, expect, it } from 'vitest';
import {
  MAX_COMPANIONS,
  MAX_COMPANION_NAME,
  companionChanges,
  declareCompanions,
  normaliseCompanions,
} from './companions.ts';
import type { Participant } from './meeting-state.ts';

const base: Participant = {
  id: 'n',
  role: 'network',
  state: 'admitted',
  companions: [
    { name: 'Mum', agreed: true },
    { name: 'Grandad', agreed: false },
  ],
  admissionNumber: 1,
  facilitatorKey: null,
  consent: null,
  declines: 0,
  lastDeclinedAt: null,
  linkRevoked: false,
  device: null,
  otherDevice: null,
  connection: 'connecting',
  lostAt: null,
};

describe('normaliseCompanions', () => {
  it('trims, drops empty names and repeats, keeping order', () => {
    expect(normaliseCompanions([' Mum', 'Dad ', '', '  ', 'Mum'])).toEqual(['Mum', 'Dad']);
  });

  it('normalises names: bidi overrides and invisible characters go, repeats by name key', () => {
    expect(normaliseCompanions(['\u202Emum\u202C', 'M\u200Bum', '\u200B', 'Gran'])).toEqual([
      'mum',
      'Gran',
    ]);
  });

  it('accepts up to the limits and refuses beyond them', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `P${i}`);
    expect(normaliseCompanions(names(MAX_COMPANIONS))).toHaveLength(MAX_COMPANIONS);
    expect(normaliseCompanions(names(MAX_COMPANIONS + 1))).toBeNull();
    expect(normaliseCompanions(['x'.repeat(MAX_COMPANION_NAME)])).toHaveLength(1);
    expect(normaliseCompanions(['x'.repeat(MAX_COMPANION_NAME + 1)])).toBeNull();
  });
});

describe('declareCompanions', () => {
  it('keeps agreement for names already agreed; new and pending names await agreement', () => {
    expect(declareCompanions(base, ['Grandad', 'Mum', 'Aunt'])).toEqual([
      { name: 'Grandad', agreed: false },
      { name: 'Mum', agreed: true },
      { name: 'Aunt', agreed: false },
    ]);
  });

  it("agrees the centre person's own companions", () => {
    expect(declareCompanions({ ...base, role: 'centre' }, ['Partner'])).toEqual([
      { name: 'Partner', agreed: true },
    ]);
  });
});

describe('companionChanges', () => {
  it('lists names added and removed', () => {
    const after = declareCompanions(base, ['Mum', 'Aunt']);
    expect(companionChanges(base.companions, after)).toEqual({
      added: ['Aunt'],
      removed: ['Grandad'],
    });
  });
});
