/**
 * How long to wait before the next purge: the interval times a random factor from 0.5 to 1.5.
 * The mean stays the interval, nothing runs at boot, and nodes started together drift apart
 * instead of purging in step.
 */
export function purgeDelayMs(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (0.5 + random()));
}
