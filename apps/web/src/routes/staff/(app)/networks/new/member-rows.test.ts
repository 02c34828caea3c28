import { describe, expect, it } from 'vitest';
import { membersToAdd } from './member-rows.ts';

describe('membersToAdd', () => {
  it('puts the centre person first, trims, and skips blank rows', () => {
    expect(
      membersToAdd({ name: ' Sam ', relationship: '' }, [
        { key: 1, name: 'Anna', relationship: ' mother ' },
        { key: 2, name: '   ', relationship: 'ignored' },
        { key: 3, name: 'Leo', relationship: '' },
      ]),
    ).toEqual([
      { name: 'Sam', relationship: '', isCentre: true },
      { name: 'Anna', relationship: 'mother', isCentre: false },
      { name: 'Leo', relationship: '', isCentre: false },
    ]);
  });

  it('allows a network without a centre person yet', () => {
    expect(membersToAdd({ name: '', relationship: '' }, [])).toEqual([]);
  });
});
