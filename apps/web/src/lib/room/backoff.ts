export interface BackoffOptions {
  /** Delay ceiling for the first retry, in ms. */
  readonly baseMs: number;
  /** Upper bound for any delay, in ms. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential growth capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so many clients dropped at once do not return
 * in lockstep, yet no retry fires instantly.
 */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const safeAttempt = Math.max(0, Math.min(Math.floor(attempt), 30));
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** safeAttempt);
  const half = ceiling / 2;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(half + r * half);
}
