import { isAbsolute, resolve } from 'node:path';
import type { DatabaseConfig } from '@polyphony/db';
import { decodeEnv, refusal, sortBySchema, type ConfigIssue, type RawEnv } from './env-decode.ts';
import type { Env, EnvName, LogLevel } from './env-schema.ts';
import { repoRoot } from './repo-root.ts';

export { LOG_LEVELS, type LogLevel } from './env-schema.ts';
export type { ConfigIssue, ConfigIssueCode } from './env-decode.ts';

export interface LivekitConfig {
  /** The URL clients connect to (ws:// or wss://). */
  readonly url: string;
  /** The same server's HTTP API (http:// or https://), derived from `url`. */
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly livekit: LivekitConfig;
  /** The one origin people open (e.g. http://127.0.0.1:3000); WebSocket upgrades must come from it. */
  readonly publicOrigin: string;
  readonly cookieSecure: boolean;
  readonly logLevel: LogLevel;
  /** How long a staff session lasts from sign-in (fixed, not sliding). */
  readonly sessionTtlMs: number;
  /** How long a personal link works, from its creation or the scheduled start if later. */
  readonly inviteTtlMs: number;
  /** Key for guests' CSRF tokens (HMAC of the session hash); at least 32 characters. */
  readonly csrfSecret: string;
  /** How often live meetings' rooms are reconciled with the database (0: never). */
  readonly reconcileIntervalMs: number;
  /**
   * How long a meeting's personal data (log, shared record, participants, links) is kept after
   * the meeting closed; never shorter than a link's lifetime (ADR 0011).
   */
  readonly retentionMs: number;
  /** How often the retention purge runs (0: never, for tests; the environment cannot say 0). */
  readonly purgeIntervalMs: number;
  /** The operator's SMTP relay for sending personal links by e-mail; null: not offered. */
  readonly mail: MailConfig | null;
  /** How long a live meeting may stay empty and quiet before it ends itself (domain `idle.ts`). */
  readonly idleEndMs: number;
  /**
   * Whom people can ask when a link does not work and its organisation is unknown or said
   * nothing (`SUPPORT_CONTACT`, free text on one line); null when not set.
   */
  readonly supportContact: string | null;
  /** LiveKit's TURN as browsers reach it, for the pre-join network check; null: not checked. */
  readonly turn: { readonly udpUrl: string | null; readonly tlsUrl: string | null };
  /**
   * An id for this start of the process (`INSTANCE_ID`), echoed by `/api/health` so whoever
   * started it can tell it from another service on the same port; null when not set.
   */
  readonly instanceId: string | null;
  /** Serve on this inherited, already listening socket (`LISTEN_FD`) instead of binding a port. */
  readonly listenFd: number | null;
  /** The Redis every node shares for rate limits (`REDIS_URL`); null: counted per node. */
  readonly redisUrl: string | null;
  /** How long a drain on SIGTERM may take before the process exits anyway (ADR 0026). */
  readonly drainTimeoutMs: number;
  /** How long start-up (opening the database, migrations, each plugin) may take. */
  readonly startupTimeoutMs: number;
  /** The front servers whose `X-Forwarded-For` names the client (`TRUST_PROXY`). */
  readonly trustProxy: readonly string[];
}

export interface MailConfig {
  /** `smtp://user:password@host:port` or `smtps://…` (never logged). */
  readonly smtpUrl: string;
  /** The sender, e.g. `Polyphony <meetings@example.org>`. */
  readonly from: string;
  /** The time zone meeting times are written in (IANA name, e.g. Europe/Helsinki). */
  readonly timeZone: string;
}

/** Start-up refused: every issue at once, each naming its variable (never a secret's value). */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(readonly issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - [${i.code}] ${i.message}`);
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = issues.map((i) => i.message);
  }
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Reads and validates the whole environment at once against `EnvSchema` (TypeBox, ADR 0017).
 * The only reader of `process.env` in the service; throws a {@link ConfigError} listing every
 * problem.
 */
export function loadConfig(raw: RawEnv = process.env): Config {
  const { env, given, issues } = decodeEnv(raw);
  const refused = new Set<EnvName>(issues.map((i) => i.variable));
  const more: ConfigIssue[] = [];
  const ok = (name: EnvName) => !refused.has(name) && !more.some((i) => i.variable === name);
  const invalid = (variable: EnvName) =>
    more.push({ code: 'ENV_INVALID', variable, message: refusal(variable, given[variable]) });
  const conflict = (variable: EnvName, message: string) =>
    more.push({ code: 'ENV_CONFLICT', variable, message });

  if (ok('LIVEKIT_URL') && !URL.canParse(env.LIVEKIT_URL)) invalid('LIVEKIT_URL');
  if (
    ok('PUBLIC_ORIGIN') &&
    new URL(env.PUBLIC_ORIGIN).origin !== env.PUBLIC_ORIGIN.replace(/\/$/, '')
  )
    invalid('PUBLIC_ORIGIN');
  if (ok('MAIL_TIME_ZONE') && !isTimeZone(env.MAIL_TIME_ZONE)) invalid('MAIL_TIME_ZONE');
  if (
    ok('SMTP_URL') &&
    ok('MAIL_FROM') &&
    (env.SMTP_URL === undefined) !== (env.MAIL_FROM === undefined)
  )
    conflict(
      env.SMTP_URL === undefined ? 'SMTP_URL' : 'MAIL_FROM',
      'SMTP_URL and MAIL_FROM go together: set both to send links by e-mail, or neither',
    );
  if (ok('RETENTION_DAYS') && ok('INVITE_TTL_DAYS') && env.RETENTION_DAYS < env.INVITE_TTL_DAYS)
    conflict(
      'RETENTION_DAYS',
      `RETENTION_DAYS (${env.RETENTION_DAYS}) must be at least INVITE_TTL_DAYS (${env.INVITE_TTL_DAYS}): ` +
        'people read the shared record through their link until it expires',
    );
  const all = sortBySchema([...issues, ...more]);
  if (all.length > 0) throw new ConfigError(all);
  return toConfig(env);
}

/** Only the database part, for tools (the seed CLI) that share the server's storage settings. */
export function loadDatabaseConfig(raw: RawEnv = process.env): DatabaseConfig {
  const { env, issues } = decodeEnv(raw);
  const own = issues.filter((i) => i.variable === 'DATABASE_URL' || i.variable === 'PGLITE_DIR');
  if (own.length > 0) throw new ConfigError(own);
  return database(env);
}

function toConfig(env: Env): Config {
  const livekitUrl = new URL(env.LIVEKIT_URL);
  livekitUrl.protocol = livekitUrl.protocol === 'wss:' ? 'https:' : 'http:';
  return {
    host: env.SIGNAL_HOST,
    port: env.SIGNAL_PORT,
    database: database(env),
    livekit: {
      url: env.LIVEKIT_URL,
      httpUrl: livekitUrl.toString().replace(/\/$/, ''),
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
    },
    publicOrigin: new URL(env.PUBLIC_ORIGIN).origin,
    cookieSecure: env.COOKIE_SECURE,
    logLevel: env.LOG_LEVEL as LogLevel,
    sessionTtlMs: env.SESSION_TTL_HOURS * HOUR_MS,
    inviteTtlMs: env.INVITE_TTL_DAYS * DAY_MS,
    csrfSecret: env.CSRF_SECRET,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    mail:
      env.SMTP_URL !== undefined && env.MAIL_FROM !== undefined
        ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, timeZone: env.MAIL_TIME_ZONE }
        : null,
    idleEndMs: env.IDLE_END_MINUTES * MINUTE_MS,
    retentionMs: env.RETENTION_DAYS * DAY_MS,
    purgeIntervalMs: env.PURGE_INTERVAL_MINUTES * MINUTE_MS,
    supportContact: env.SUPPORT_CONTACT ?? null,
    turn: { udpUrl: env.TURN_UDP_URL ?? null, tlsUrl: env.TURN_TLS_URL ?? null },
    instanceId: env.INSTANCE_ID ?? null,
    listenFd: env.LISTEN_FD ?? null,
    startupTimeoutMs: env.STARTUP_TIMEOUT_SECONDS * 1000,
    drainTimeoutMs: env.DRAIN_TIMEOUT_SECONDS * 1000,
    redisUrl: env.REDIS_URL ?? null,
    trustProxy: env.TRUST_PROXY.split(','),
  };
}

function database(env: Env): DatabaseConfig {
  if (env.DATABASE_URL !== undefined) return { kind: 'postgres', url: env.DATABASE_URL };
  const dir = env.PGLITE_DIR;
  if (dir.startsWith('memory://')) return { kind: 'pglite', dataDir: dir };
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : resolve(repoRoot(), dir) };
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
