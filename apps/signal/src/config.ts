import { isAbsolute, resolve } from 'node:path';
import type { DatabaseConfig } from '@polyphony/db';
import { repoRoot } from './repo-root.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  /**
   * An id for this start of the process (`INSTANCE_ID`), echoed by `/api/health` so whoever
   * started it can tell it from another service on the same port; null when not set.
   */
  readonly instanceId: string | null;
  /** Serve on this inherited, already listening socket (`LISTEN_FD`) instead of binding a port. */
  readonly listenFd: number | null;
  /** How long start-up (opening the database, migrations, each plugin) may take. */
  readonly startupTimeoutMs: number;
}

export interface MailConfig {
  /** `smtp://user:password@host:port` or `smtps://…` (never logged). */
  readonly smtpUrl: string;
  /** The sender, e.g. `Polyphony <meetings@example.org>`. */
  readonly from: string;
  /** The time zone meeting times are written in (IANA name, e.g. Europe/Helsinki). */
  readonly timeZone: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_SECRET_LENGTH = 32;
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Reads and validates the whole environment at once. The only reader of `process.env` in the
 * service; throws a {@link ConfigError} listing every problem.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const database = readDatabase(env, problems);
  const host = nonEmpty(env, 'SIGNAL_HOST', problems) ?? '127.0.0.1';
  const port = readPort(env, problems);
  const livekit = readLivekit(env, problems);
  const publicOrigin = readOrigin(env, problems);
  const cookieSecure = readBoolean(env, 'COOKIE_SECURE', true, problems);
  const logLevel = readLogLevel(env, problems);
  const sessionTtlMs = readPositive(env, 'SESSION_TTL_HOURS', 12, 24 * 7, problems) * HOUR_MS;
  const inviteTtlMs = readPositive(env, 'INVITE_TTL_DAYS', 14, 365, problems) * DAY_MS;
  const csrfSecret = readSecret(env, 'CSRF_SECRET', problems);
  const reconcileIntervalMs = readReconcileInterval(env, problems);
  const mail = readMail(env, problems);
  const idleEndMs = readPositive(env, 'IDLE_END_MINUTES', 60, 24 * 60, problems) * MINUTE_MS;
  const retentionMs = readRetention(env, inviteTtlMs, problems);
  const purgeIntervalMs =
    readPositive(env, 'PURGE_INTERVAL_MINUTES', 60, 24 * 60, problems) * MINUTE_MS;
  const supportContact = readContact(env, 'SUPPORT_CONTACT', problems);
  const instanceId = nonEmpty(env, 'INSTANCE_ID', problems) ?? null;
  const listenFdRaw = nonEmpty(env, 'LISTEN_FD', problems);
  const listenFd = listenFdRaw === undefined ? null : Number(listenFdRaw);
  if (listenFd !== null && !(Number.isInteger(listenFd) && listenFd >= 3))
    problems.push(`LISTEN_FD must be an inherited descriptor, 3 or above (got "${listenFdRaw}")`);
  const startupTimeoutMs = readPositive(env, 'STARTUP_TIMEOUT_SECONDS', 300, 3600, problems) * 1000;
  if (problems.length > 0 || !database || !livekit || !publicOrigin || !csrfSecret)
    throw new ConfigError(problems);
  return {
    host,
    port,
    database,
    livekit,
    publicOrigin,
    cookieSecure,
    logLevel,
    sessionTtlMs,
    inviteTtlMs,
    csrfSecret,
    reconcileIntervalMs,
    mail,
    idleEndMs,
    retentionMs,
    purgeIntervalMs,
    supportContact,
    instanceId,
    listenFd,
    startupTimeoutMs,
  };
}

/** Only the database part, for tools (the seed CLI) that share the server's storage settings. */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const problems: string[] = [];
  const database = readDatabase(env, problems);
  if (!database) throw new ConfigError(problems);
  return database;
}

function readMail(env: Env, problems: string[]): MailConfig | null {
  const smtpUrl = nonEmpty(env, 'SMTP_URL', problems);
  const from = nonEmpty(env, 'MAIL_FROM', problems);
  const timeZone = nonEmpty(env, 'MAIL_TIME_ZONE', problems) ?? 'Europe/Helsinki';
  if (smtpUrl === undefined && from === undefined) return null;
  if (smtpUrl === undefined || from === undefined) {
    problems.push(
      'SMTP_URL and MAIL_FROM go together: set both to send links by e-mail, or neither',
    );
    return null;
  }
  let protocol = '';
  try {
    protocol = new URL(smtpUrl).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
    return null;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    problems.push(`MAIL_TIME_ZONE must be an IANA time zone (got "${timeZone}")`);
    return null;
  }
  return { smtpUrl, from, timeZone };
}

function nonEmpty(env: Env, name: string, problems: string[]): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    problems.push(`${name} is set but empty`);
    return undefined;
  }
  return value.trim();
}

function readDatabase(env: Env, problems: string[]): DatabaseConfig | undefined {
  const url = nonEmpty(env, 'DATABASE_URL', problems);
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      problems.push('DATABASE_URL must start with postgres:// or postgresql://');
      return undefined;
    }
    return { kind: 'postgres', url };
  }
  const dir = nonEmpty(env, 'PGLITE_DIR', problems) ?? '.data/pglite';
  if (dir.startsWith('memory://')) return { kind: 'pglite', dataDir: dir };
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : resolve(repoRoot(), dir) };
}

function readPort(env: Env, problems: string[]): number {
  const raw = nonEmpty(env, 'SIGNAL_PORT', problems);
  if (raw === undefined) return 4000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`SIGNAL_PORT must be an integer from 0 to 65535 (got "${raw}")`);
  }
  return port;
}

function readLivekit(env: Env, problems: string[]): LivekitConfig | undefined {
  const url = nonEmpty(env, 'LIVEKIT_URL', problems);
  const apiKey = nonEmpty(env, 'LIVEKIT_API_KEY', problems);
  const apiSecret = nonEmpty(env, 'LIVEKIT_API_SECRET', problems);
  let httpUrl: string | undefined;
  if (url === undefined) problems.push('LIVEKIT_URL is required (e.g. ws://127.0.0.1:7880)');
  else {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed || (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')) {
      problems.push('LIVEKIT_URL must be a ws:// or wss:// URL');
    } else {
      parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
      httpUrl = parsed.toString().replace(/\/$/, '');
    }
  }
  if (apiKey === undefined) problems.push('LIVEKIT_API_KEY is required');
  if (apiSecret === undefined) problems.push('LIVEKIT_API_SECRET is required');
  else if (apiSecret.length < MIN_SECRET_LENGTH) {
    problems.push(`LIVEKIT_API_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (!url || !httpUrl || !apiKey || !apiSecret || apiSecret.length < MIN_SECRET_LENGTH) {
    return undefined;
  }
  return { url, httpUrl, apiKey, apiSecret };
}

function readOrigin(env: Env, problems: string[]): string | undefined {
  const raw = nonEmpty(env, 'PUBLIC_ORIGIN', problems);
  if (raw === undefined) {
    problems.push('PUBLIC_ORIGIN is required (e.g. http://127.0.0.1:3000)');
    return undefined;
  }
  const parsed = URL.canParse(raw) ? new URL(raw) : null;
  if (
    !parsed ||
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    parsed.origin !== raw.replace(/\/$/, '')
  ) {
    problems.push('PUBLIC_ORIGIN must be an origin like https://meet.example.org (no path)');
    return undefined;
  }
  return parsed.origin;
}

function readBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = nonEmpty(env, name, problems);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function readLogLevel(env: Env, problems: string[]): LogLevel {
  const raw = nonEmpty(env, 'LOG_LEVEL', problems);
  if (raw === undefined) return 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return level ?? 'info';
}

function readPositive(
  env: Env,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const raw = nonEmpty(env, name, problems);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    problems.push(`${name} must be a number above 0 and at most ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/** The same bounds as an organisation's contact: one line, at most 200 characters. */
function readContact(env: Env, name: string, problems: string[]): string | null {
  const value = nonEmpty(env, name, problems);
  if (value === undefined) return null;
  // eslint-disable-next-line no-control-regex
  if (value.length > 200 || /[\x00-\x1f\x7f]/.test(value)) {
    problems.push(`${name} must be one line of at most 200 characters`);
    return null;
  }
  return value;
}

function readSecret(env: Env, name: string, problems: string[]): string | undefined {
  const value = nonEmpty(env, name, problems);
  if (value === undefined) {
    problems.push(`${name} is required (at least ${MIN_SECRET_LENGTH} random characters)`);
    return undefined;
  }
  if (value.length < MIN_SECRET_LENGTH) {
    problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    return undefined;
  }
  return value;
}

function readReconcileInterval(env: Env, problems: string[]): number {
  const raw = nonEmpty(env, 'RECONCILE_INTERVAL_MS', problems);
  if (raw === undefined) return 3000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 60_000) {
    problems.push(`RECONCILE_INTERVAL_MS must be an integer from 0 to 60000 (got "${raw}")`);
    return 3000;
  }
  return value;
}

/**
 * `RETENTION_DAYS` (default 30). People read the shared record through their own link until it
 * expires, so a retention shorter than `INVITE_TTL_DAYS` is refused rather than quietly lengthened.
 */
function readRetention(env: Env, inviteTtlMs: number, problems: string[]): number {
  const known = problems.length;
  const days = readPositive(env, 'RETENTION_DAYS', 30, 3650, problems);
  if (problems.length === known && days * DAY_MS < inviteTtlMs) {
    problems.push(
      `RETENTION_DAYS (${days}) must be at least INVITE_TTL_DAYS (${inviteTtlMs / DAY_MS}): ` +
        'people read the shared record through their link until it expires',
    );
  }
  return days * DAY_MS;
}
