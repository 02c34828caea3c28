import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '@polyphony/db';
import { buildApp, type App, type BuildOptions } from '../app.ts';
import type { Config } from '../config.ts';
import type { RunningLivekit } from './livekit-server.ts';

export const TEST_ORIGIN = 'http://127.0.0.1:3999';
/** One per test process, so that several apps on one database act as one deployment. */
const TEST_CSRF_SECRET = randomBytes(32).toString('base64url');

export interface TestApp {
  readonly app: App;
  readonly baseUrl: string;
  readonly wsBaseUrl: string;
  /** Every log line written while the app ran. */
  readonly logs: string[];
  close(): Promise<void>;
}

export function testConfig(
  livekit: Pick<RunningLivekit, 'url' | 'httpUrl' | 'apiKey' | 'apiSecret'>,
): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    database: { kind: 'pglite', dataDir: 'memory://' },
    livekit: {
      url: livekit.url,
      httpUrl: livekit.httpUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
    },
    publicOrigin: TEST_ORIGIN,
    cookieSecure: false,
    logLevel: 'trace',
    sessionTtlMs: 12 * 60 * 60 * 1000,
    inviteTtlMs: 14 * 24 * 60 * 60 * 1000,
    csrfSecret: TEST_CSRF_SECRET,
    reconcileIntervalMs: 3000,
    retentionMs: 30 * 24 * 60 * 60 * 1000,
    // Off: a purge on its own timer would race tests that move the clock; they call purgeNow.
    purgeIntervalMs: 0,
    mail: null,
    idleEndMs: 60 * 60 * 1000,
    supportContact: null,
    turn: { udpUrl: null, tlsUrl: null },
    instanceId: null,
    listenFd: null,
    startupTimeoutMs: 300_000,
    drainTimeoutMs: 20_000,
    redisUrl: null,
    trustProxy: ['127.0.0.1', '::1'],
  };
}

/** Builds the app on a shared test database and listens on a free loopback port. */
export async function startTestApp(
  database: Database,
  livekit: Pick<RunningLivekit, 'url' | 'httpUrl' | 'apiKey' | 'apiSecret'>,
  options: Omit<BuildOptions, 'database' | 'logDestination'> & {
    /** Listen on this port (e.g. one LiveKit's webhook already points at). */
    readonly port?: number;
    readonly config?: Partial<Config>;
  } = {},
): Promise<TestApp> {
  const { port = 0, config, ...buildOptions } = options;
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const app = await buildApp(
    { ...testConfig(livekit), ...config },
    {
      ...buildOptions,
      database,
      logDestination: destination,
    },
  );
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    wsBaseUrl: `ws://127.0.0.1:${address.port}`,
    logs,
    close: () => app.close(),
  };
}
