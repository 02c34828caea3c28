import { describe, expect, it } from 'vitest';
import { purgeDelayMs } from './schedule.ts';

describe('purgeDelayMs', () => {
  it.each([
    [0, 30 * 60_000],
    [0.5, 60 * 60_000],
    [0.999, 5_396_400],
  ])('random %s → %s ms for an hourly purge', (random, expected) => {
    expect(purgeDelayMs(60 * 60_000, () => random)).toBe(expected);
  });

  it('never waits less than half the interval (no purge at boot)', () => {
    for (let i = 0; i < 100; i += 1) {
      const delay = purgeDelayMs(1000);
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1500);
    }
  });
});
