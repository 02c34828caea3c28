import type { FastifyPluginAsync } from 'fastify';
import { endpoint } from '../endpoint.ts';

export interface HealthOptions {
  /** This start's id (`INSTANCE_ID`), echoed so the starter knows it reached its own instance. */
  readonly instanceId: string | null;
}

const health: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  const answer = opts.instanceId
    ? { status: 'ok' as const, instance: opts.instanceId }
    : { status: 'ok' as const };
  endpoint(app, 'health', async () => answer);

  endpoint(app, 'ready', async (_request, reply) => {
    const [database, livekit] = await Promise.all([app.database.ping(), app.livekit.ping()]);
    const draining = app.drain.draining;
    const body = {
      database: upDown(database),
      livekit: upDown(livekit),
      ...(draining ? { draining: true as const } : {}),
    };
    return reply.code(database && livekit && !draining ? 200 : 503).send(body);
  });
};

function upDown(ok: boolean): 'up' | 'down' {
  return ok ? 'up' : 'down';
}

export default health;
