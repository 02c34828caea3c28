import { describe, expect, it } from 'vitest';
import { KNOCK_POLICY, knockRetryAt, knockWaitMs } from './knock-policy.ts';

const MINUTE = 60_000;

describe('knock policy', () => {
  it.each([
    [0, 0],
    [-1, 0],
    [1, 1 * MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [4, 8 * MINUTE],
    [5, 15 * MINUTE],
    [50, 15 * MINUTE],
  ])('after %i declines the wait is %i ms', (declines, wait) => {
    expect(knockWaitMs(declines)).toBe(wait);
  });

  it('never locks anyone out for longer than the cap', () => {
    expect(knockWaitMs(Number.MAX_SAFE_INTEGER)).toBe(KNOCK_POLICY.maxWaitMs);
  });

  it('gives the time of the next allowed knock, or null when there is no wait', () => {
    expect(knockRetryAt(0, null)).toBeNull();
    expect(knockRetryAt(0, 1000)).toBeNull();
    expect(knockRetryAt(2, null)).toBeNull();
    expect(knockRetryAt(2, 1000)).toBe(1000 + 2 * MINUTE);
  });
});
