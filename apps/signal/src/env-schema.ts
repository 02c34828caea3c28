import { Type, type Static, type TSchema } from 'typebox';

/**
 * What the operator writes about one variable: `doc` is its line in docs/operations.md,
 * `hint` completes "NAME must be …" when the value is refused, `secret` keeps the value out of
 * every message.
 */
export interface EnvMeta {
  readonly doc: string;
  readonly hint: string;
  readonly secret?: boolean;
}

function env<T extends TSchema>(schema: T, meta: EnvMeta): T {
  return { ...schema, ...meta };
}

const Positive = (max: number, fallback: number, doc: string) =>
  env(Type.Number({ exclusiveMinimum: 0, maximum: max, default: fallback }), {
    doc,
    hint: `a number above 0 and at most ${max}`,
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Longest secret-free line the support contact may be, as an organisation's contact. */
const CONTACT_MAX = 200;

/**
 * Every environment variable the signal service reads, with its default and its meaning
 * (ADR 0017). Values arrive as strings; `decodeEnv` turns numbers and booleans into their type
 * by this schema, then TypeBox checks them.
 */
export const EnvSchema = Type.Object({
  SIGNAL_HOST: env(Type.String({ default: '127.0.0.1' }), {
    doc: 'listen address',
    hint: 'an address',
  }),
  SIGNAL_PORT: env(Type.Integer({ minimum: 0, maximum: 65_535, default: 4000 }), {
    doc: 'listen port (`0` = any free port)',
    hint: 'an integer from 0 to 65535',
  }),
  LISTEN_FD: Type.Optional(
    env(Type.Integer({ minimum: 3 }), {
      doc: 'serve this inherited, already listening socket instead of binding `SIGNAL_PORT` (set by `npm start`)',
      hint: 'an inherited descriptor, 3 or above',
    }),
  ),
  INSTANCE_ID: Type.Optional(
    env(Type.String({ pattern: '^[A-Za-z0-9_-]{8,128}$' }), {
      doc: 'an id for this start of the process, echoed by `GET /api/health` so its starter knows it reached its own instance (set by `npm start`)',
      hint: '8 to 128 letters, digits, `-` or `_`',
    }),
  ),
  STARTUP_TIMEOUT_SECONDS: Positive(
    3600,
    300,
    'how long start-up (opening the database, migrations) may take before the process gives up',
  ),
  DRAIN_TIMEOUT_SECONDS: Positive(
    600,
    20,
    "on SIGTERM, how long the drain (live channels sent to another node, requests in flight finished) may take before the process exits anyway; keep it below the orchestrator's grace period (ADR 0026)",
  ),
  DATABASE_URL: Type.Optional(
    env(Type.String({ pattern: '^postgres(ql)?://' }), {
      doc: 'PostgreSQL (`postgres://…`); when unset, PGlite is used',
      hint: 'a postgres:// or postgresql:// URL',
      secret: true,
    }),
  ),
  PGLITE_DIR: env(Type.String({ default: '.data/pglite' }), {
    doc: 'PGlite data directory; relative paths are resolved from the repository root; `memory://` for a throwaway database',
    hint: 'a directory',
  }),
  LIVEKIT_URL: env(Type.String({ pattern: '^wss?://[^\\s/]+' }), {
    doc: 'the `ws://`/`wss://` URL clients use; the API URL is derived (`http`/`https`)',
    hint: 'a ws:// or wss:// URL, e.g. ws://127.0.0.1:7880',
  }),
  LIVEKIT_API_KEY: env(Type.String(), { doc: 'LiveKit API key', hint: 'a key' }),
  LIVEKIT_API_SECRET: env(Type.String({ minLength: 32 }), {
    doc: 'LiveKit API secret, at least 32 characters',
    hint: 'at least 32 characters',
    secret: true,
  }),
  PUBLIC_ORIGIN: env(Type.String({ pattern: '^https?://[^/\\s]+/?$' }), {
    doc: 'the one origin people open; WebSocket upgrades and sign-ins from any other origin are refused',
    hint: 'an origin like https://meet.example.org (no path)',
  }),
  COOKIE_SECURE: env(Type.Boolean({ default: true }), {
    doc: '`false` only for plain-http development',
    hint: 'true or false',
  }),
  LOG_LEVEL: env(Type.Enum(LOG_LEVELS, { default: 'info' }), {
    doc: '`fatal`…`trace`, `silent`',
    hint: `one of ${LOG_LEVELS.join(', ')}`,
  }),
  SESSION_TTL_HOURS: Positive(168, 12, 'staff sessions end this long after sign-in'),
  INVITE_TTL_DAYS: Positive(
    365,
    14,
    'personal links expire this long after creation (or after the scheduled start, if later)',
  ),
  CSRF_SECRET: env(Type.String({ minLength: 32 }), {
    doc: "at least 32 characters; keys guests' CSRF tokens (HMAC of the session hash); the same on every node",
    hint: 'at least 32 random characters',
    secret: true,
  }),
  RECONCILE_INTERVAL_MS: env(Type.Integer({ minimum: 0, maximum: 60_000, default: 3000 }), {
    doc: 'how often live rooms are compared with the database (`0` = off)',
    hint: 'an integer from 0 to 60000',
  }),
  RETENTION_DAYS: Positive(
    3650,
    30,
    "how long a meeting's personal data is kept after it closed; at least `INVITE_TTL_DAYS`, because people read the record through their link until it expires (ADR 0011)",
  ),
  PURGE_INTERVAL_MINUTES: Positive(
    1440,
    60,
    'mean time between retention purge runs (each wait is 0.5–1.5 × this, never at boot)',
  ),
  IDLE_END_MINUTES: Positive(
    1440,
    60,
    'how long a live meeting may stay empty and quiet before it ends itself',
  ),
  SMTP_URL: Type.Optional(
    env(Type.String({ pattern: '^smtps?://' }), {
      doc: "the operator's SMTP relay (`smtp://user:password@host:587` or `smtps://…`); with `MAIL_FROM`, staff can e-mail a link just made",
      hint: 'an smtp:// or smtps:// URL',
      secret: true,
    }),
  ),
  MAIL_FROM: Type.Optional(
    env(Type.String(), {
      doc: 'the sender of those messages, e.g. `Polyphony <meetings@example.org>`; set both or neither',
      hint: 'a sender address',
    }),
  ),
  MAIL_TIME_ZONE: env(Type.String({ default: 'Europe/Helsinki' }), {
    doc: 'the IANA time zone meeting times are written in',
    hint: 'an IANA time zone',
  }),
  TRUST_PROXY: env(
    Type.String({ default: '127.0.0.1,::1', pattern: '^[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*$' }),
    {
      doc: 'comma-separated addresses or CIDR ranges of the front server (the web server, a reverse proxy) whose `X-Forwarded-For` is believed; the client address rate limits key on comes from it',
      hint: 'comma-separated IP addresses or CIDR ranges, no spaces',
    },
  ),
  REDIS_URL: Type.Optional(
    env(Type.String({ pattern: '^rediss?://' }), {
      doc: 'a Redis every signal node shares (`redis://…` or `rediss://…`): sign-in and link-use limits are then counted across nodes, not per node (ADR 0026)',
      hint: 'a redis:// or rediss:// URL',
      secret: true,
    }),
  ),
  TURN_TLS_URL: Type.Optional(
    env(Type.String({ pattern: '^turns:[^\\s?]+$' }), {
      doc: "LiveKit's embedded TURN over TLS as browsers reach it (`turns:turn.example.org:443`), tried by the pre-join network check; unset: not checked",
      hint: 'a turns: URL without query, e.g. turns:turn.example.org:443',
    }),
  ),
  TURN_UDP_URL: Type.Optional(
    env(Type.String({ pattern: '^turn:[^\\s?]+$' }), {
      doc: "LiveKit's embedded TURN over UDP as browsers reach it (`turn:turn.example.org:3478`), tried by the pre-join network check; unset: not checked",
      hint: 'a turn: URL without query, e.g. turn:turn.example.org:3478',
    }),
  ),
  SUPPORT_CONTACT: Type.Optional(
    env(Type.String({ maxLength: CONTACT_MAX, pattern: '^[^\\x00-\\x1f\\x7f]*$' }), {
      doc: `whom people can ask when a link does not work and its organisation named nobody (one line, ≤ ${CONTACT_MAX} characters)`,
      hint: `one line of at most ${CONTACT_MAX} characters`,
    }),
  ),
});

export type Env = Static<typeof EnvSchema>;
export type EnvName = keyof typeof EnvSchema.properties;

/** The schema of one variable, with what the operator is told about it. */
export function envVariable(name: EnvName): TSchema & EnvMeta & { default?: unknown } {
  return EnvSchema.properties[name] as unknown as TSchema & EnvMeta & { default?: unknown };
}

export const ENV_NAMES = Object.keys(EnvSchema.properties) as EnvName[];
