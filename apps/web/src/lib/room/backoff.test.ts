import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, reconnectDelay } from './backoff.ts';

describe('reconnectDelay', () => {
  it.each([
    // attempt, random, expected (base 500, max 15000)
    [0, 0, 250],
    [0, 1, 500],
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0.5, 1500],
    [4, 1, 8000],
    [5, 1, 15_000],
    [5, 0, 7500],
    [50, 1, 15_000],
    [-3, 1, 500],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelay(attempt, () => random)).toBe(expected);
  });

  it('never exceeds the cap and never fires instantly', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = reconnectDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.baseMs / 2);
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
    }
  });

  it('spreads clients out (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => reconnectDelay(3)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('clamps a misbehaving random source', () => {
    expect(reconnectDelay(0, () => 7)).toBe(500);
    expect(reconnectDelay(0, () => -1)).toBe(250);
  });
});
