import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDatabaseConfig } from './config.ts';
import { repoRoot } from './repo-root.ts';

const VALID = {
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'x'.repeat(32),
  PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
  CSRF_SECRET: 'c'.repeat(32),
};

function issues(env: Record<string, string>): readonly (readonly string[])[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => [i.code, i.variable, i.message]);
    throw err;
  }
  return [];
}

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults and derives the LiveKit HTTP URL', () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      cookieSecure: true,
      logLevel: 'info',
      publicOrigin: 'http://127.0.0.1:3000',
      livekit: { url: 'ws://127.0.0.1:7880', httpUrl: 'http://127.0.0.1:7880' },
      database: { kind: 'pglite', dataDir: join(repoRoot(), '.data/pglite') },
    });
  });

  it('lists every problem in one error, coded and naming the variable', () => {
    const env = {
      SIGNAL_PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      LIVEKIT_URL: 'http://nope',
      LIVEKIT_API_SECRET: 'short',
      PUBLIC_ORIGIN: 'http://127.0.0.1:3000/app',
      COOKIE_SECURE: 'maybe',
      LOG_LEVEL: 'loud',
    };
    expect(issues(env)).toEqual([
      ['ENV_INVALID', 'SIGNAL_PORT', 'SIGNAL_PORT must be an integer from 0 to 65535 (got "abc")'],
      ['ENV_INVALID', 'DATABASE_URL', 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
      [
        'ENV_INVALID',
        'LIVEKIT_URL',
        'LIVEKIT_URL must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:7880 (got "http://nope")',
      ],
      ['ENV_REQUIRED', 'LIVEKIT_API_KEY', 'LIVEKIT_API_KEY is required: a key'],
      ['ENV_INVALID', 'LIVEKIT_API_SECRET', 'LIVEKIT_API_SECRET must be at least 32 characters'],
      [
        'ENV_INVALID',
        'PUBLIC_ORIGIN',
        'PUBLIC_ORIGIN must be an origin like https://meet.example.org (no path) (got "http://127.0.0.1:3000/app")',
      ],
      ['ENV_INVALID', 'COOKIE_SECURE', 'COOKIE_SECURE must be true or false (got "maybe")'],
      [
        'ENV_INVALID',
        'LOG_LEVEL',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      ],
      ['ENV_REQUIRED', 'CSRF_SECRET', 'CSRF_SECRET is required: at least 32 random characters'],
    ]);
    expect(() => loadConfig(env)).toThrow(
      /Invalid configuration:\n {2}- \[ENV_INVALID\] SIGNAL_PORT/,
    );
  });

  it('names every missing required variable', () => {
    expect(problems({})).toEqual([
      'LIVEKIT_URL is required: a ws:// or wss:// URL, e.g. ws://127.0.0.1:7880',
      'LIVEKIT_API_KEY is required: a key',
      'LIVEKIT_API_SECRET is required: at least 32 characters',
      'PUBLIC_ORIGIN is required: an origin like https://meet.example.org (no path)',
      'CSRF_SECRET is required: at least 32 random characters',
    ]);
  });

  it('never shows the value of a secret, whatever is wrong with it', () => {
    const secrets = {
      DATABASE_URL: 'mysql://admin:hunter2-db@db.example',
      LIVEKIT_API_SECRET: 'hunter2-lk',
      CSRF_SECRET: 'hunter2-csrf',
      SMTP_URL: 'http://mailer:hunter2-smtp@relay.example',
      MAIL_FROM: 'a@b.c',
    };
    const error = (() => {
      try {
        loadConfig({ ...VALID, ...secrets });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues.map((i) => i.variable)).toEqual([
      'DATABASE_URL',
      'LIVEKIT_API_SECRET',
      'CSRF_SECRET',
      'SMTP_URL',
    ]);
    expect(error.message).not.toMatch(/hunter2/);
  });

  it('converts only what clearly is a number or a boolean', () => {
    expect(problems({ ...VALID, SIGNAL_PORT: '1.5', COOKIE_SECURE: 'yes' })).toEqual([
      'SIGNAL_PORT must be an integer from 0 to 65535 (got "1.5")',
      'COOKIE_SECURE must be true or false (got "yes")',
    ]);
    expect(loadConfig({ ...VALID, SIGNAL_PORT: ' 8080 ', COOKIE_SECURE: '0' })).toMatchObject({
      port: 8080,
      cookieSecure: false,
    });
  });

  it('reads the start-up settings npm start passes', () => {
    expect(loadConfig(VALID)).toMatchObject({
      instanceId: null,
      listenFd: null,
      startupTimeoutMs: 300_000,
    });
    expect(
      loadConfig({
        ...VALID,
        INSTANCE_ID: 'abcDEF12_-',
        LISTEN_FD: '3',
        STARTUP_TIMEOUT_SECONDS: '600',
      }),
    ).toMatchObject({ instanceId: 'abcDEF12_-', listenFd: 3, startupTimeoutMs: 600_000 });
    expect(problems({ ...VALID, INSTANCE_ID: 'short', LISTEN_FD: '1' })).toEqual([
      'LISTEN_FD must be an inherited descriptor, 3 or above (got "1")',
      'INSTANCE_ID must be 8 to 128 letters, digits, `-` or `_` (got "short")',
    ]);
  });

  it('reads the CSRF secret and the reconcile interval', () => {
    expect(loadConfig(VALID)).toMatchObject({
      csrfSecret: 'c'.repeat(32),
      reconcileIntervalMs: 3000,
    });
    expect(loadConfig({ ...VALID, RECONCILE_INTERVAL_MS: '0' }).reconcileIntervalMs).toBe(0);
    expect(problems({ ...VALID, CSRF_SECRET: 'short', RECONCILE_INTERVAL_MS: '-1' })).toEqual([
      'CSRF_SECRET must be at least 32 random characters',
      'RECONCILE_INTERVAL_MS must be an integer from 0 to 60000 (got "-1")',
    ]);
  });

  it('reports variables set to blanks', () => {
    expect(problems({ ...VALID, SIGNAL_HOST: ' ' })).toEqual(['SIGNAL_HOST is set but empty']);
  });

  it.each([
    [
      { DATABASE_URL: 'postgres://u@127.0.0.1/db' },
      { kind: 'postgres', url: 'postgres://u@127.0.0.1/db' },
    ],
    [{ PGLITE_DIR: 'memory://' }, { kind: 'pglite', dataDir: 'memory://' }],
    [{ PGLITE_DIR: '/var/lib/pp' }, { kind: 'pglite', dataDir: '/var/lib/pp' }],
    [{ PGLITE_DIR: 'tmp/db' }, { kind: 'pglite', dataDir: join(repoRoot(), 'tmp/db') }],
  ])('reads the database from %j', (env, expected) => {
    expect(loadDatabaseConfig(env)).toEqual(expected);
    expect(loadConfig({ ...VALID, ...env }).database).toEqual(expected);
  });

  it('maps wss to https and accepts explicit settings', () => {
    const config = loadConfig({
      ...VALID,
      LIVEKIT_URL: 'wss://sfu.example.org',
      SIGNAL_HOST: '0.0.0.0',
      SIGNAL_PORT: '8080',
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      cookieSecure: false,
      logLevel: 'warn',
      livekit: { httpUrl: 'https://sfu.example.org' },
    });
  });

  it('reads session and link lifetimes', () => {
    expect(loadConfig(VALID)).toMatchObject({
      sessionTtlMs: 12 * 3_600_000,
      inviteTtlMs: 14 * 86_400_000,
    });
    expect(loadConfig({ ...VALID, SESSION_TTL_HOURS: '8', INVITE_TTL_DAYS: '3' })).toMatchObject({
      sessionTtlMs: 8 * 3_600_000,
      inviteTtlMs: 3 * 86_400_000,
    });
    expect(problems({ ...VALID, SESSION_TTL_HOURS: '0', INVITE_TTL_DAYS: 'soon' })).toEqual([
      'SESSION_TTL_HOURS must be a number above 0 and at most 168 (got "0")',
      'INVITE_TTL_DAYS must be a number above 0 and at most 365 (got "soon")',
    ]);
  });

  it('reads the SMTP relay for e-mailed links: both or neither, a real URL and time zone', () => {
    expect(loadConfig(VALID).mail).toBeNull();
    expect(
      loadConfig({
        ...VALID,
        SMTP_URL: 'smtp://relay.example:25',
        MAIL_FROM: 'Team <t@example.org>',
      }).mail,
    ).toEqual({
      smtpUrl: 'smtp://relay.example:25',
      from: 'Team <t@example.org>',
      timeZone: 'Europe/Helsinki',
    });
    expect(problems({ ...VALID, SMTP_URL: 'smtp://relay.example:25' })).toEqual([
      'SMTP_URL and MAIL_FROM go together: set both to send links by e-mail, or neither',
    ]);
    expect(problems({ ...VALID, SMTP_URL: 'http://relay.example', MAIL_FROM: 'a@b.c' })).toEqual([
      'SMTP_URL must be an smtp:// or smtps:// URL',
    ]);
    expect(
      problems({
        ...VALID,
        SMTP_URL: 'smtp://r:25',
        MAIL_FROM: 'a@b.c',
        MAIL_TIME_ZONE: 'Mars/Base',
      }),
    ).toEqual(['MAIL_TIME_ZONE must be an IANA time zone (got "Mars/Base")']);
  });

  it('reads how long an empty meeting waits before it ends itself', () => {
    expect(loadConfig(VALID).idleEndMs).toBe(60 * 60_000);
    expect(loadConfig({ ...VALID, IDLE_END_MINUTES: '0.1' }).idleEndMs).toBe(6000);
    expect(problems({ ...VALID, IDLE_END_MINUTES: '0' })).toEqual([
      'IDLE_END_MINUTES must be a number above 0 and at most 1440 (got "0")',
    ]);
  });

  it('reads the retention period and the purge interval', () => {
    expect(loadConfig(VALID)).toMatchObject({
      retentionMs: 30 * 86_400_000,
      purgeIntervalMs: 60 * 60_000,
    });
    expect(
      loadConfig({ ...VALID, RETENTION_DAYS: '14', PURGE_INTERVAL_MINUTES: '5' }),
    ).toMatchObject({ retentionMs: 14 * 86_400_000, purgeIntervalMs: 5 * 60_000 });
    expect(problems({ ...VALID, RETENTION_DAYS: '0', PURGE_INTERVAL_MINUTES: '0' })).toEqual([
      'RETENTION_DAYS must be a number above 0 and at most 3650 (got "0")',
      'PURGE_INTERVAL_MINUTES must be a number above 0 and at most 1440 (got "0")',
    ]);
  });

  it('reads the operator’s support contact (optional, one bounded line)', () => {
    expect(loadConfig(VALID).supportContact).toBeNull();
    expect(
      loadConfig({ ...VALID, SUPPORT_CONTACT: ' Help desk, 020 000 0000 ' }).supportContact,
    ).toBe('Help desk, 020 000 0000');
    const refused = 'SUPPORT_CONTACT must be one line of at most 200 characters';
    expect(problems({ ...VALID, SUPPORT_CONTACT: 'a'.repeat(201) })).toEqual([
      `${refused} (got "${'a'.repeat(80)}…")`,
    ]);
    expect(problems({ ...VALID, SUPPORT_CONTACT: 'two\nlines' })).toEqual([
      `${refused} (got "two\\nlines")`,
    ]);
  });

  it('refuses a retention shorter than the links through which people read the record', () => {
    expect(problems({ ...VALID, RETENTION_DAYS: '7' })).toEqual([
      'RETENTION_DAYS (7) must be at least INVITE_TTL_DAYS (14): people read the shared record through their link until it expires',
    ]);
    expect(problems({ ...VALID, INVITE_TTL_DAYS: '60' })).toEqual([
      'RETENTION_DAYS (30) must be at least INVITE_TTL_DAYS (60): people read the shared record through their link until it expires',
    ]);
    expect(loadConfig({ ...VALID, RETENTION_DAYS: '14' }).retentionMs).toBe(14 * 86_400_000);
    expect(loadConfig({ ...VALID, RETENTION_DAYS: '3', INVITE_TTL_DAYS: '3' }).retentionMs).toBe(
      3 * 86_400_000,
    );
  });

  it('finds the repository root from anywhere inside it', () => {
    expect(isAbsolute(repoRoot())).toBe(true);
    expect(repoRoot(join(repoRoot(), 'apps/signal/src/live'))).toBe(repoRoot());
  });
});
