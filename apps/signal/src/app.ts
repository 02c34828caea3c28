import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DestinationStream } from 'pino';
import type { Database } from '@polyphony/db';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { RequestLogController } from './request-log.ts';
import accessPlugin from './plugins/access.ts';
import dbPlugin from './plugins/db.ts';
import drainPlugin from './plugins/drain.ts';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.ts';
import livekitPlugin from './plugins/livekit.ts';
import metricsPlugin from './plugins/metrics.ts';
import rateLimitsPlugin from './plugins/rate-limits.ts';
import openapiPlugin from './plugins/openapi.ts';
import validationPlugin, { STRICT_AJV } from './plugins/validation.ts';
import securityHeadersPlugin from './plugins/security-headers.ts';
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from './live/connection.ts';
import { createNotifyHub, type LiveHub } from './live/hub.ts';
import { createStaffChannels, type StaffChannels } from './live/sessions-ended.ts';
import reconcilePlugin from './live/reconcile.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { channelBounds } from './live/presence.ts';
import retentionPlugin from './retention/plugin.ts';
import commandsPlugin from './commands/plugin.ts';
import inviteJoinRoutes from './routes/invites-join/index.ts';
import participantRoutes from './routes/participants/index.ts';
import modeRoutes from './routes/mode/index.ts';
import recordRoutes from './routes/record/index.ts';
import e2eeRoutes from './routes/e2ee/index.ts';
import webhookRoutes from './routes/livekit-webhook/index.ts';
import healthRoutes from './routes/health/index.ts';
import liveRoute from './routes/meetings/live.ts';
import openapiRoute from './routes/openapi/index.ts';
import meetingsRoutes from './routes/meetings/index.ts';
import invitesRoutes from './routes/meetings/invites.ts';
import networksRoutes from './routes/networks/index.ts';
import membersRoutes from './routes/networks/members.ts';
import sessionRoutes from './routes/session/index.ts';
import setupRoutes from './routes/setup/index.ts';
import staffRoutes from './routes/staff/index.ts';
import staffAccountRoutes from './routes/staff/accounts.ts';
import passwordRoutes from './routes/session/password.ts';
import {
  DEFAULT_SIGN_IN_LIMITS,
  type SignInLimits,
  type StaffRouteOptions,
} from './routes/staff-route-options.ts';

export interface BuildOptions {
  /** Use this open database instead of opening `config.database` (the app will not close it). */
  readonly database?: Database;
  /** Where log lines go (default stdout); tests capture them. */
  readonly logDestination?: DestinationStream;
  readonly liveLimits?: Partial<LiveLimits>;
  /** The clock (epoch ms) for sessions, links and figures; tests pass a fixed one. */
  readonly now?: () => number;
  readonly signInLimits?: Partial<SignInLimits>;
  /** Overrides `config.reconcileIntervalMs` (tests). */
  readonly reconcileIntervalMs?: number;
  /** Personal-link uses (open, knock) allowed per client address per minute (default 60). */
  readonly linkUsesPerMinute?: number;
  /** Sends mail instead of a relay built from `config.mail` (still only when that is set). */
  readonly mailer?: Mailer;
}

/** Largest WebSocket frame `ws` buffers; the live channel refuses messages above its own limit. */
const WS_MAX_PAYLOAD = 64 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** Fan-out of committed meeting events to live connections. */
    hub: LiveHub;
    /** Staff live channels by person and session, closed when their sessions end. */
    staffChannels: StaffChannels;
    /** The operator's mail relay for sending links, or null when none is configured. */
    mail: { readonly mailer: Mailer; readonly timeZone: string } | null;
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** Builds the whole service from plugins. Migrations run here, before the app is ready. */
export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, options.logDestination),
    logController: new RequestLogController(),
    bodyLimit: 64 * 1024,
    // The embedded database can take over a minute to open on a loaded machine.
    pluginTimeout: config.startupTimeoutMs,
    // Only the front server's `X-Forwarded-For` is believed: `request.ip` is then the client
    // it saw, so per-client limits bite that client and a header sent from outside is ignored.
    trustProxy: [...config.trustProxy],
    ajv: STRICT_AJV,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(drainPlugin);
  await app.register(validationPlugin);
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
  const hub = await createNotifyHub(app.database, (err) =>
    app.log.error({ err }, 'live fan-out failed'),
  );
  app.decorate('hub', hub);
  app.addHook('onClose', () => hub.close());
  const staffChannels = await createStaffChannels(app.database, (err) =>
    app.log.error({ err }, 'closing ended staff channels failed'),
  );
  app.decorate('staffChannels', staffChannels);
  app.addHook('onClose', () => staffChannels.close());
  await app.register(livekitPlugin, { config: config.livekit });
  const mailer = config.mail ? (options.mailer ?? createMailer(config.mail)) : null;
  app.decorate('mail', mailer && config.mail ? { mailer, timeZone: config.mail.timeZone } : null);
  app.addHook('onClose', () => mailer?.close());
  await app.register(rateLimitsPlugin, { redisUrl: config.redisUrl });
  const now = options.now ?? Date.now;
  await app.register(accessPlugin, {
    publicOrigin: config.publicOrigin,
    csrfSecret: config.csrfSecret,
    now,
    supportContact: config.supportContact,
    livekit: { apiKey: config.livekit.apiKey, apiSecret: config.livekit.apiSecret },
  });
  await app.register(commandsPlugin, { now });
  const liveLimits = { ...DEFAULT_LIVE_LIMITS, ...options.liveLimits };
  await app.register(reconcilePlugin, {
    intervalMs: options.reconcileIntervalMs ?? config.reconcileIntervalMs,
    channels: channelBounds(liveLimits.heartbeatMs),
    idleEndMs: config.idleEndMs,
  });
  await app.register(retentionPlugin, {
    now,
    retentionMs: config.retentionMs,
    intervalMs: config.purgeIntervalMs,
  });

  await app.register(healthRoutes, { instanceId: config.instanceId });
  await app.register(openapiRoute);
  const staffOptions: StaffRouteOptions = {
    now,
    sessionTtlMs: config.sessionTtlMs,
    inviteTtlMs: config.inviteTtlMs,
    publicOrigin: config.publicOrigin,
    cookie: { secure: config.cookieSecure },
    signInLimits: { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits },
  };
  await app.register(setupRoutes, staffOptions);
  await app.register(sessionRoutes, staffOptions);
  await app.register(staffRoutes);
  await app.register(staffAccountRoutes, staffOptions);
  await app.register(passwordRoutes, staffOptions);
  await app.register(networksRoutes, staffOptions);
  await app.register(membersRoutes, staffOptions);
  await app.register(meetingsRoutes, staffOptions);
  await app.register(invitesRoutes, staffOptions);
  await app.register(inviteJoinRoutes, {
    cookieSecure: config.cookieSecure,
    csrfSecret: config.csrfSecret,
    linkUsesPerMinute: options.linkUsesPerMinute ?? 60,
    networkCheck: {
      mediaServer: config.livekit.url,
      turn: config.turn,
      keys: { apiKey: config.livekit.apiKey, apiSecret: config.livekit.apiSecret },
    },
  });
  await app.register(participantRoutes);
  await app.register(modeRoutes);
  await app.register(e2eeRoutes);
  await app.register(recordRoutes, { retentionMs: config.retentionMs });
  await app.register(webhookRoutes);
  await app.register(liveRoute, { limits: liveLimits });

  await app.ready();
  return app;
}
