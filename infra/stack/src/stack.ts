import { randomBytes } from 'node:crypto';
import { freshDatabase, type DatabaseTarget } from './database.ts';
import { startLivekit, type LivekitKeys, type RunningLivekit } from './livekit.ts';
import { freePort } from './ports.ts';
import {
  seedDatabase,
  startSignal,
  startWeb,
  type RunningSignal,
  type RunningWeb,
} from './services.ts';

export interface StackOptions {
  /** Database to use; a fresh one (PGlite, or Postgres when TEST_DATABASE_URL is set) by default. */
  readonly database?: DatabaseTarget;
  readonly ports?: { web?: number; signal?: number; livekit?: number };
  readonly livekitKeys?: LivekitKeys;
  readonly livekitDir?: string;
  /** Walking-skeleton seed, run before the signal service opens the database. */
  readonly seed?: unknown;
  /** Start the web front server too (needs `apps/web/build`). */
  readonly web?: boolean;
  readonly output?: string | 'inherit' | 'ignore';
  readonly cookieSecure?: boolean;
  readonly csrfSecret?: string;
  /** More settings for the signal service (e.g. `IDLE_END_MINUTES`), as its environment. */
  readonly signalEnv?: Readonly<Record<string, string>>;
}

export interface Stack<TSeed = unknown> {
  readonly origin: string;
  readonly livekit: RunningLivekit;
  readonly signal: RunningSignal;
  readonly web: RunningWeb | null;
  readonly database: DatabaseTarget;
  readonly seeded: TSeed | null;
  /** Stops only the processes this stack started, then drops its database if it made it. */
  stop(): Promise<void>;
}

/** LiveKit, the signal service and (optionally) the web server, wired to one another on loopback. */
export async function startStack<TSeed = unknown>(opts: StackOptions = {}): Promise<Stack<TSeed>> {
  const ownDatabase = !opts.database;
  const database = opts.database ?? (await freshDatabase());
  const webPort = opts.ports?.web ?? (await freePort());
  const signalPort = opts.ports?.signal ?? (await freePort());
  const origin = `http://127.0.0.1:${webPort}`;
  const started: { stop(): Promise<void> }[] = [];
  try {
    const livekit = await startLivekit({
      port: opts.ports?.livekit,
      keys: opts.livekitKeys,
      dir: opts.livekitDir,
      webhookUrl: `http://127.0.0.1:${signalPort}/api/livekit/webhook`,
      output: opts.output,
    });
    started.push(livekit);
    const env = {
      livekit,
      database: database.env,
      publicOrigin: origin,
      cookieSecure: opts.cookieSecure,
      csrfSecret: opts.csrfSecret ?? randomBytes(32).toString('base64url'),
    };
    const seeded = opts.seed === undefined ? null : await seedDatabase<TSeed>(env, opts.seed);
    const signal = await startSignal({
      ...env,
      port: signalPort,
      output: opts.output,
      ...(opts.signalEnv ? { extraEnv: opts.signalEnv } : {}),
    });
    started.push(signal);
    const web = opts.web
      ? await startWeb({
          signalUrl: signal.url,
          livekitUrl: livekit.url,
          port: webPort,
          output: opts.output,
        })
      : null;
    if (web) started.push(web);
    return {
      origin,
      livekit,
      signal,
      web,
      database,
      seeded,
      async stop() {
        for (const s of started.reverse()) await s.stop();
        if (ownDatabase) await database.drop();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.stop();
    if (ownDatabase) await database.drop();
    throw err;
  }
}
