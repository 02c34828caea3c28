import { MAX_COMPANIONS } from '@polyphony/domain';
import { describe, expect, it } from 'vitest';
import {
  addCompanion,
  removeCompanion,
  sameCompanions,
  withTypedCompanion,
} from './companion-list.ts';

describe('companion list', () => {
  it.each([
    ['a name', [], ' Mum ', { ok: true, list: ['Mum'] }],
    ['a blank', [], '   ', { ok: false, problem: 'empty' }],
    ['a repeat', ['Mum'], 'Mum', { ok: false, problem: 'repeated' }],
    ['a very long name', [], 'x'.repeat(81), { ok: false, problem: 'too_long' }],
    [
      'one too many',
      Array.from({ length: MAX_COMPANIONS }, (_, i) => `P${i}`),
      'Grandad',
      { ok: false, problem: 'too_many' },
    ],
  ])('adding %s', (_name, list: string[], raw, expected) => {
    expect(addCompanion(list, raw)).toEqual(expected);
  });

  const full = Array.from({ length: MAX_COMPANIONS }, (_, i) => `P${i}`);
  it.each([
    ['a typed name is added', ['Grandad'], ' Mum ', { ok: true, list: ['Grandad', 'Mum'] }],
    ['an empty field changes nothing', ['Mum'], '  ', { ok: true, list: ['Mum'] }],
    ['a name already listed changes nothing', ['Mum'], 'Mum', { ok: true, list: ['Mum'] }],
    ['a very long name is a problem', [], 'x'.repeat(81), { ok: false, problem: 'too_long' }],
    ['one too many is a problem', full, 'Mum', { ok: false, problem: 'too_many' }],
  ])('when done: %s', (_name, list: string[], typed, expected) => {
    expect(withTypedCompanion(list, typed)).toEqual(expected);
  });

  it('removes by name and compares in order', () => {
    expect(removeCompanion(['Mum', 'Grandad'], 'Mum')).toEqual(['Grandad']);
    expect(sameCompanions(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameCompanions(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameCompanions(['a'], ['a', 'b'])).toBe(false);
  });
});
