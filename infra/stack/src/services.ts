import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ManagedProcess, waitForHttp } from './process.ts';
import { bindPort, type BoundPort } from './ports.ts';
import { ROOT, SEED_ENTRY, SIGNAL_ENTRY, WEB_ENTRY } from './paths.ts';
import type { RunningLivekit } from './livekit.ts';

const execFileP = promisify(execFile);

export interface SignalEnv {
  readonly livekit: RunningLivekit;
  readonly database: { DATABASE_URL?: string; PGLITE_DIR?: string };
  readonly publicOrigin: string;
  /** Preferred port (any free one when taken); ignored when `listen` is given. */
  readonly port?: number;
  /** A socket already bound for the service (it inherits it; this process lets go of it). */
  readonly listen?: BoundPort;
  readonly cookieSecure?: boolean;
  /** Key for guest CSRF tokens; a fresh one per start when not given (sessions then end). */
  readonly csrfSecret?: string;
  readonly output?: string | 'inherit' | 'ignore';
  /** More settings for the signal service, as environment variables. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/** The fd a child serves on when the parent bound its socket (`stdio[3]`). */
const LISTEN_FD = '3';

function signalEnvironment(
  o: Pick<SignalEnv, 'livekit' | 'database' | 'publicOrigin' | 'cookieSecure' | 'csrfSecret'> &
    Pick<SignalEnv, 'extraEnv'>,
  port: number,
  instanceId?: string,
): NodeJS.ProcessEnv {
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
    // The pre-join network check tries LiveKit's embedded TURN when the stack runs one.
    ...(o.livekit.ports.turnUdpPort
      ? { TURN_UDP_URL: `turn:127.0.0.1:${o.livekit.ports.turnUdpPort}` }
      : {}),
    ...(instanceId ? { INSTANCE_ID: instanceId, LISTEN_FD } : {}),
    ...o.database,
    ...o.extraEnv,
  };
  return env;
}

/** A fresh id for one start of a service, echoed by its `/api/health`. */
export function newInstanceId(): string {
  return randomBytes(12).toString('base64url');
}

/** Accepts a `/api/health` answer only from the instance started with `instanceId`. */
export function isInstance(instanceId: string): (res: Response) => Promise<boolean> {
  return async (res) => {
    const body = (await res.json().catch(() => null)) as { instance?: unknown } | null;
    return body?.instance === instanceId;
  };
}

export interface RunningSignal {
  readonly url: string;
  readonly port: number;
  /** The id this start of the service answers `/api/health` with. */
  readonly instanceId: string;
  process: ManagedProcess;
  /** Starts the same service again on the same port (after a kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function spawnSignal(o: SignalEnv, bound: BoundPort, instanceId: string): ManagedProcess {
  return new ManagedProcess({
    name: 'signal',
    command: process.execPath,
    args: ['--import', 'tsx', SIGNAL_ENTRY],
    cwd: ROOT,
    env: signalEnvironment(o, bound.port, instanceId),
    output: o.output ?? 'ignore',
    capture: true,
    listenFd: bound.fd,
  });
}

/** Spawns the service on `bound` and waits until *this* instance answers. */
async function launchSignal(o: SignalEnv, bound: BoundPort, timeoutMs?: number) {
  const instanceId = newInstanceId();
  let proc: ManagedProcess;
  try {
    proc = spawnSignal(o, bound, instanceId);
  } finally {
    await bound.release();
  }
  try {
    await waitForHttp(`http://127.0.0.1:${bound.port}/api/health`, {
      proc,
      accept: isInstance(instanceId),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, instanceId };
}

export async function startSignal(o: SignalEnv & { timeoutMs?: number }): Promise<RunningSignal> {
  const bound = o.listen ?? (await bindPort(o.port ?? 0));
  const port = bound.port;
  const url = `http://127.0.0.1:${port}`;
  const first = await launchSignal(o, bound, o.timeoutMs);
  const running: { -readonly [K in keyof RunningSignal]: RunningSignal[K] } = {
    url,
    port,
    instanceId: first.instanceId,
    process: first.proc,
    async restart() {
      await running.process.stop();
      const again = await launchSignal(o, await bindPort(port, { strict: true }), o.timeoutMs);
      running.process = again.proc;
      running.instanceId = again.instanceId;
    },
    stop: () => running.process.stop(),
  };
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
  /** Preferred port (any free one when taken); ignored when `listen` is given. */
  port?: number;
  /** A socket already bound for the web server (it inherits it; this process lets go of it). */
  listen?: BoundPort;
  /** When given, ready only once `/api/health` through this server answers with this id. */
  signalInstanceId?: string;
  output?: string | 'inherit' | 'ignore';
  timeoutMs?: number;
}): Promise<RunningWeb> {
  const bound = o.listen ?? (await bindPort(o.port ?? 0));
  const url = `http://127.0.0.1:${bound.port}`;
  let proc: ManagedProcess;
  try {
    proc = new ManagedProcess({
      name: 'web',
      command: process.execPath,
      args: [WEB_ENTRY],
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(bound.port),
        LISTEN_FD,
        ORIGIN: url,
        SIGNAL_URL: o.signalUrl,
        ...(o.livekitUrl ? { LIVEKIT_URL: o.livekitUrl } : {}),
      },
      output: o.output ?? 'ignore',
      capture: true,
      listenFd: bound.fd,
    });
  } finally {
    await bound.release();
  }
  try {
    await waitForHttp(o.signalInstanceId ? `${url}/api/health` : url, {
      proc,
      ...(o.signalInstanceId ? { accept: isInstance(o.signalInstanceId) } : {}),
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url, process: proc, stop: () => proc.stop() };
}
