import type { FastifyPluginAsync } from 'fastify';
import { endpoint } from '../endpoint.ts';

const health: FastifyPluginAsync = async (app) => {
  endpoint(app, 'health', async () => ({ status: 'ok' as const }));

  endpoint(app, 'ready', async (_request, reply) => {
    const [database, livekit] = await Promise.all([app.database.ping(), app.livekit.ping()]);
    const body = { database: upDown(database), livekit: upDown(livekit) };
    return reply.code(database && livekit ? 200 : 503).send(body);
  });
};

function upDown(ok: boolean): 'up' | 'down' {
  return ok ? 'up' : 'down';
}

export default health;
