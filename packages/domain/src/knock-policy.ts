/**
 * How soon a declined person may knock again. Declining must not become a loop of
 * notifications for the centre person, yet a "not now" must never lock anyone out for good:
 * the wait starts at one minute and doubles with each further decline in the same meeting, up
 * to fifteen minutes.
 */
export const KNOCK_POLICY = {
  firstWaitMs: 60_000,
  maxWaitMs: 15 * 60_000,
} as const;

/** The wait after the `declines`-th decline (0 when never declined). */
export function knockWaitMs(declines: number): number {
  if (declines <= 0) return 0;
  const doubled = KNOCK_POLICY.firstWaitMs * 2 ** Math.min(declines - 1, 16);
  return Math.min(doubled, KNOCK_POLICY.maxWaitMs);
}

/**
 * When a person declined `declines` times, last at `lastDeclinedAt`, may knock again; `null`
 * when they may knock at any time.
 */
export function knockRetryAt(declines: number, lastDeclinedAt: number | null): number | null {
  if (lastDeclinedAt === null || declines <= 0) return null;
  return lastDeclinedAt + knockWaitMs(declines);
}
