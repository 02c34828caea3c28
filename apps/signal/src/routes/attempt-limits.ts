import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../app-error.ts';

/** One count of attempts: how many per window, and what it counts by. */
export interface AttemptLimit {
  readonly max: number;
  readonly windowMs: number;
  /** The key the count is kept under (hash anything personal: keys reach Redis). */
  readonly key: (request: FastifyRequest) => string;
}

/**
 * A pre-handler that refuses with 429 RATE_LIMITED (and `retry-after`) when any of the limits
 * is exceeded: for the endpoints where a guess is worth something (sign-in, one's current
 * password, a setup link). Counted in the shared rate-limit store (ADR 0026).
 */
export function attemptLimits(app: FastifyInstance, limits: readonly AttemptLimit[]) {
  const checks = limits.map((limit) =>
    app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs, keyGenerator: limit.key }),
  );
  return async (request: FastifyRequest, reply: { header: (k: string, v: string) => unknown }) => {
    const results = await Promise.all(checks.map((check) => check(request)));
    const waits = results.flatMap((r) => (!r.isAllowed && r.isExceeded ? [r.ttlInSeconds] : []));
    if (waits.length > 0) {
      reply.header('retry-after', String(Math.max(1, ...waits)));
      throw new AppError('RATE_LIMITED', 'Too many attempts. Wait a minute and try again.');
    }
  };
}
