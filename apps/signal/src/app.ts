import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DestinationStream } from 'pino';
import type { Database } from '@polyphony/db';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { RequestLogController } from './request-log.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import livekitPlugin from './plugins/livekit.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin from './plugins/openapi.ts';
import securityHeadersPlugin from './plugins/security-headers.ts';
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from './live/connection.ts';
import { createInProcessHub, type LiveHub } from './live/hub.ts';
import healthRoutes from './routes/health/index.ts';
import liveRoute from './routes/meetings/live.ts';
import openapiRoute from './routes/openapi/index.ts';

export interface BuildOptions {
  /** Use this open database instead of opening `config.database` (the app will not close it). */
  readonly database?: Database;
  /** Where log lines go (default stdout); tests capture them. */
  readonly logDestination?: DestinationStream;
  readonly liveLimits?: Partial<LiveLimits>;
}

/** Largest WebSocket frame `ws` buffers; the live channel refuses messages above its own limit. */
const WS_MAX_PAYLOAD = 64 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** Fan-out of committed meeting events to live connections. */
    hub: LiveHub;
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** Builds the whole service from plugins. Migrations run here, before the app is ready. */
export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, options.logDestination),
    logController: new RequestLogController(),
    bodyLimit: 64 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const hub = createInProcessHub((err) => app.log.error({ err }, 'live listener failed'));
  app.decorate('hub', hub);
  app.addHook('onClose', () => hub.close());

  await app.register(openapiPlugin);
  await app.register(errorsPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(metricsPlugin);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: WS_MAX_PAYLOAD } });
  await app.register(dbPlugin, {
    config: config.database,
    ...(options.database ? { database: options.database } : {}),
  });
  await app.register(livekitPlugin, { config: config.livekit });

  await app.register(healthRoutes);
  await app.register(openapiRoute);
  await app.register(liveRoute, {
    publicOrigin: config.publicOrigin,
    limits: { ...DEFAULT_LIVE_LIMITS, ...options.liveLimits },
  });

  await app.ready();
  return app;
}
