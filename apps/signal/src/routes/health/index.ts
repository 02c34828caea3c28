import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, HealthResponse, ReadyResponse } from '@polyphony/protocol';

export interface HealthOptions {
  /** This start's id (`INSTANCE_ID`), echoed so the starter knows it reached its own instance. */
  readonly instanceId: string | null;
}

const health: FastifyPluginAsyncTypebox<HealthOptions> = async (app, opts) => {
  const answer = opts.instanceId
    ? { status: 'ok' as const, instance: opts.instanceId }
    : { status: 'ok' as const };
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Liveness: the process answers',
        tags: ['operations'],
        response: { 200: HealthResponse },
      },
    },
    async () => answer,
  );

  app.get(
    '/api/ready',
    {
      schema: {
        summary: 'Readiness: the database and LiveKit answer (503 when either is down)',
        tags: ['operations'],
        response: { 200: ReadyResponse, 503: ReadyResponse, 500: ErrorResponse },
      },
    },
    async (_request, reply) => {
      const [database, livekit] = await Promise.all([app.database.ping(), app.livekit.ping()]);
      const body = { database: upDown(database), livekit: upDown(livekit) };
      return reply.code(database && livekit ? 200 : 503).send(body);
    },
  );
};

function upDown(ok: boolean): 'up' | 'down' {
  return ok ? 'up' : 'down';
}

export default health;
