import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';

export interface RateLimitsOptions {
  /** The Redis every node shares (`REDIS_URL`); null: each node counts on its own. */
  readonly redisUrl: string | null;
}

/**
 * Per-client limits (sign-in, link use), counted in Redis when `REDIS_URL` is set, so that
 * several nodes behind one load balancer share one count; in memory otherwise (one node). While
 * Redis cannot answer, requests are not limited rather than refused (a family opening its link
 * must not be turned away by a cache); the log says so once per outage (ADR 0026).
 */
export default fp<RateLimitsOptions>(
  async (app, opts) => {
    if (opts.redisUrl === null) {
      await app.register(rateLimit, { global: false });
      return;
    }
    const redis = new Redis(opts.redisUrl, {
      // Fail fast: a request waits at most this long for the count, never for a reconnect.
      connectTimeout: 2000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    let up = true;
    redis.on('ready', () => {
      if (!up) app.log.info('rate-limit store reachable again');
      up = true;
    });
    redis.on('error', (err: Error & { code?: string }) => {
      if (up) app.log.warn({ code: err.code ?? err.name }, 'rate-limit store unavailable');
      up = false;
    });
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    // Start counting in Redis from the first request; a Redis that is away at boot delays the
    // start by at most the connect bound (the node then serves unlimited until it comes).
    await new Promise<void>((resolve) => {
      if (redis.status === 'ready') return resolve();
      redis.once('ready', () => resolve());
      redis.once('error', () => resolve());
    });
    await app.register(rateLimit, {
      global: false,
      redis,
      nameSpace: 'polyphony-rate-limit:',
      skipOnError: true,
    });
  },
  { name: 'rate-limits' },
);
