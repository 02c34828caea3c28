import { randomBytes } from 'node:crypto';
import { freshDatabase, type DatabaseTarget } from './database.ts';
import { startImpairedLivekit, type ImpairmentRelay } from './impaired-livekit.ts';
import type { Conditions } from './impairment.ts';
import { startLivekit, type LivekitKeys, type RunningLivekit } from './livekit.ts';
import { startTcpRelay, type TcpRelay } from './tcp-relay.ts';
import { bindPort, freePort, type BoundPort } from './ports.ts';
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
  /** Preferred ports; any free one is used for a port that is taken (see `bindPort`). */
  readonly ports?: { web?: number; signal?: number; livekit?: number };
  /** How long each service may take to become ready (default `START_TIMEOUT_MS`). */
  readonly timeoutMs?: number;
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
  /**
   * Runs every client's media through the impairment relay with these conditions (ADR 0029),
   * and offers relayed URLs for LiveKit's and the signal service's client connections.
   */
  readonly impaired?: Partial<Conditions>;
}

/** The bad network of an impaired stack: what crosses it and how to change it. */
export interface StackImpairment {
  /** Media (every client's) and LiveKit signalling (for clients that use `relay.clientUrl`). */
  readonly relay: ImpairmentRelay;
  /** The signal service through the same conditions (live channels, API calls of a client). */
  readonly signal: TcpRelay;
  /** Changes the conditions of every relay at once. */
  set(change: Partial<Conditions>): void;
}

export interface Stack<TSeed = unknown> {
  readonly origin: string;
  readonly livekit: RunningLivekit;
  readonly signal: RunningSignal;
  readonly web: RunningWeb | null;
  readonly database: DatabaseTarget;
  readonly seeded: TSeed | null;
  /** The bad network, when started with `impaired`. */
  readonly impairment: StackImpairment | null;
  /** Stops only the processes this stack started, then drops its database if it made it. */
  stop(): Promise<void>;
}

/** LiveKit, the signal service and (optionally) the web server, wired to one another on loopback. */
export async function startStack<TSeed = unknown>(opts: StackOptions = {}): Promise<Stack<TSeed>> {
  const ownDatabase = !opts.database;
  const database = opts.database ?? (await freshDatabase());
  // The web and signal sockets are bound here and handed to the services, so the ports the
  // others are told (origin, webhook URL) are the ones served: nothing can take them between.
  const sockets: BoundPort[] = [];
  const started: { stop(): Promise<void> }[] = [];
  try {
    const webSocket = opts.web ? await bindPort(opts.ports?.web ?? 0) : null;
    if (webSocket) sockets.push(webSocket);
    const signalSocket = await bindPort(opts.ports?.signal ?? 0);
    sockets.push(signalSocket);
    const origin = `http://127.0.0.1:${webSocket?.port ?? (await freePort())}`;
    const timeouts = opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {};
    const livekitOptions = {
      port: opts.ports?.livekit,
      keys: opts.livekitKeys,
      dir: opts.livekitDir,
      webhookUrl: `http://127.0.0.1:${signalSocket.port}/api/livekit/webhook`,
      output: opts.output,
      ...timeouts,
    };
    let impairment: StackImpairment | null = null;
    let livekit: RunningLivekit;
    if (opts.impaired) {
      const impaired = await startImpairedLivekit({
        ...livekitOptions,
        conditions: opts.impaired,
      });
      started.push(impaired);
      livekit = impaired.livekit;
      const signalRelay = await startTcpRelay({
        target: signalSocket.port,
        conditions: opts.impaired,
      });
      started.push({ stop: () => signalRelay.close() });
      impairment = {
        relay: impaired.relay,
        signal: signalRelay,
        set(change) {
          impaired.relay.set(change);
          signalRelay.conditions.set(change);
        },
      };
    } else {
      livekit = await startLivekit(livekitOptions);
      started.push(livekit);
    }
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
      listen: signalSocket,
      output: opts.output,
      ...timeouts,
      ...(opts.signalEnv ? { extraEnv: opts.signalEnv } : {}),
    });
    started.push(signal);
    const web = opts.web
      ? await startWeb({
          signalUrl: signal.url,
          livekitUrl: livekit.url,
          ...(webSocket ? { listen: webSocket } : {}),
          signalInstanceId: signal.instanceId,
          output: opts.output,
          ...timeouts,
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
      impairment,
      async stop() {
        for (const s of started.reverse()) await s.stop();
        if (ownDatabase) await database.drop();
      },
    };
  } catch (err) {
    for (const socket of sockets) await socket.release();
    for (const s of started.reverse()) await s.stop();
    if (ownDatabase) await database.drop();
    throw err;
  }
}
