import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ManagedProcess, waitForHttp } from './process.ts';
import { freePort } from './ports.ts';
import { ROOT, SEED_ENTRY, SIGNAL_ENTRY, WEB_ENTRY } from './paths.ts';
import type { RunningLivekit } from './livekit.ts';

const execFileP = promisify(execFile);

export interface SignalEnv {
  readonly livekit: RunningLivekit;
  readonly database: { DATABASE_URL?: string; PGLITE_DIR?: string };
  readonly publicOrigin: string;
  readonly port?: number;
  readonly cookieSecure?: boolean;
  /** Key for guest CSRF tokens; a fresh one per start when not given (sessions then end). */
  readonly csrfSecret?: string;
  readonly output?: string | 'inherit' | 'ignore';
  /** More settings for the signal service, as environment variables. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

function signalEnvironment(o: SignalEnv, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    SIGNAL_HOST: '127.0.0.1',
    SIGNAL_PORT: String(port),
    LIVEKIT_URL: o.livekit.url,
    LIVEKIT_API_KEY: o.livekit.apiKey,
    LIVEKIT_API_SECRET: o.livekit.apiSecret,
    PUBLIC_ORIGIN: o.publicOrigin,
    COOKIE_SECURE: String(o.cookieSecure ?? false),
    CSRF_SECRET: o.csrfSecret ?? randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'info',
    ...o.database,
    ...o.extraEnv,
  };
  return env;
}

export interface RunningSignal {
  readonly url: string;
  readonly port: number;
  process: ManagedProcess;
  /** Starts the same service again on the same port (after a kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function spawnSignal(o: SignalEnv, port: number): ManagedProcess {
  return new ManagedProcess({
    name: 'signal',
    command: process.execPath,
    args: ['--import', 'tsx', SIGNAL_ENTRY],
    cwd: ROOT,
    env: signalEnvironment(o, port),
    output: o.output ?? 'ignore',
    capture: true,
  });
}

export async function startSignal(o: SignalEnv): Promise<RunningSignal> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const running: RunningSignal = {
    url,
    port,
    process: spawnSignal(o, port),
    async restart() {
      await running.process.stop();
      running.process = spawnSignal(o, port);
      await waitForHttp(`${url}/api/health`, { proc: running.process, timeoutMs: 60_000 });
    },
    stop: () => running.process.stop(),
  };
  await waitForHttp(`${url}/api/health`, { proc: running.process, timeoutMs: 60_000 });
  return running;
}

/** What the seed prints (apps/signal/src/testing/seed.ts): a live meeting, everyone admitted. */
export interface SeededMeeting {
  readonly meetingId: string;
  readonly participants: readonly {
    readonly participantId: string;
    readonly role: string;
    readonly displayName: string;
    readonly sessionToken: string;
  }[];
}

/** Runs the walking-skeleton seed against a database that no server holds open (PGlite). */
export async function seedDatabase<T>(
  o: Pick<SignalEnv, 'livekit' | 'database' | 'publicOrigin'>,
  spec: unknown,
): Promise<T> {
  const { stdout } = await execFileP(
    process.execPath,
    ['--import', 'tsx', SEED_ENTRY, JSON.stringify(spec)],
    {
      cwd: ROOT,
      env: signalEnvironment(o, 0),
    },
  );
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}

export interface RunningWeb {
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startWeb(o: {
  signalUrl: string;
  /** The media server's URL pages connect to (added to the pages' CSP `connect-src`). */
  livekitUrl?: string;
  port?: number;
  output?: string | 'inherit' | 'ignore';
}): Promise<RunningWeb> {
  const port = o.port ?? (await freePort());
  const proc = new ManagedProcess({
    name: 'web',
    command: process.execPath,
    args: [WEB_ENTRY],
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: `http://127.0.0.1:${port}`,
      SIGNAL_URL: o.signalUrl,
      ...(o.livekitUrl ? { LIVEKIT_URL: o.livekitUrl } : {}),
    },
    output: o.output ?? 'ignore',
    capture: true,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, { proc });
  return { url, process: proc, stop: () => proc.stop() };
}
