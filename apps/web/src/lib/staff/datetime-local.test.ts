import { describe, expect, it } from 'vitest';
import { fromDatetimeLocal, toDatetimeLocal } from './datetime-local.ts';

describe('datetime-local values', () => {
  it('writes the local time to the minute', () => {
    expect(toDatetimeLocal(new Date(2025, 0, 5, 7, 3, 59))).toBe('2025-01-05T07:03');
  });

  it('reads a local time back as the same instant', () => {
    const date = new Date(2025, 10, 30, 23, 45);
    expect(fromDatetimeLocal(toDatetimeLocal(date))).toBe(date.toISOString());
  });

  it.each(['', 'tomorrow', '2025-13-01T10:00', '2025-01-01'])('refuses %j', (value) => {
    expect(fromDatetimeLocal(value)).toBeNull();
  });
});
