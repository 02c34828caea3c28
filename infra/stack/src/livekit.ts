import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { RoomServiceClient } from 'livekit-server-sdk';
import { ManagedProcess, START_TIMEOUT_MS } from './process.ts';
import { freePort } from './ports.ts';
import { ROOT } from './paths.ts';

export interface LivekitKeys {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface LivekitOptions {
  readonly port?: number;
  readonly keys?: LivekitKeys;
  readonly webhookUrl?: string;
  /** Folder for the generated config (default: a fresh temp folder). */
  readonly dir?: string;
  readonly output?: string | 'inherit' | 'ignore';
  /** How long to wait for a graceful drain on stop before SIGKILL (tests hold nothing worth it). */
  readonly stopGraceMs?: number;
  /** How long one attempt may take to become ready (default `START_TIMEOUT_MS`). */
  readonly timeoutMs?: number;
}

export interface RunningLivekit extends LivekitKeys {
  /** ws:// URL for clients. */
  readonly url: string;
  /** http:// URL for the server API. */
  readonly httpUrl: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export function generateLivekitKeys(): LivekitKeys {
  return {
    apiKey: `API${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(32).toString('base64url'),
  };
}

/** The binary: LIVEKIT_BIN, then `livekit-server` on PATH, then the one the bootstrap built. */
export function livekitBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIVEKIT_BIN && existsSync(env.LIVEKIT_BIN)) return env.LIVEKIT_BIN;
  for (const dir of (env.PATH ?? '').split(':')) {
    const p = join(dir, 'livekit-server');
    if (dir && existsSync(p)) return p;
  }
  const local = join(ROOT, '.tools/bin/livekit-server');
  if (existsSync(local)) return local;
  throw new Error('livekit-server not found: run `npm test` or `npm start` once to build it');
}

/** A loopback-only config: narrow the advertised address, not the interfaces (see toolchain.md). */
export function livekitConfig(o: {
  port: number;
  tcpPort: number;
  udpPort: number;
  keys: LivekitKeys;
  webhookUrl?: string | undefined;
}): string {
  const lines = [
    `port: ${o.port}`,
    'bind_addresses:',
    '  - 127.0.0.1',
    'rtc:',
    `  tcp_port: ${o.tcpPort}`,
    `  udp_port: ${o.udpPort}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    'keys:',
    `  ${o.keys.apiKey}: ${o.keys.apiSecret}`,
    'room:',
    '  empty_timeout: 300',
    '  departure_timeout: 20',
    'logging:',
    '  level: warn',
  ];
  if (o.webhookUrl) {
    lines.push('webhook:', `  api_key: ${o.keys.apiKey}`, '  urls:', `    - ${o.webhookUrl}`);
  }
  return lines.join('\n') + '\n';
}

/** How many sets of ports are tried before giving up (another process may take any of them). */
const LIVEKIT_ATTEMPTS = 5;

/**
 * Starts livekit-server on loopback with its own config. livekit-server binds its ports itself
 * and exits when one is taken (EADDRINUSE), so each attempt takes fresh ports (the first tries
 * `port`, if given). It is ready when an API call signed with *our* keys succeeds: another
 * LiveKit that holds the port refuses our keys and is never taken for ours.
 */
export async function startLivekit(opts: LivekitOptions = {}): Promise<RunningLivekit> {
  const keys = opts.keys ?? generateLivekitKeys();
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'polyphony-livekit-'));
  const failures: string[] = [];
  for (let attempt = 0; attempt < LIVEKIT_ATTEMPTS; attempt++) {
    const port = attempt === 0 && opts.port ? opts.port : await freePort();
    const tcpPort = await freePort();
    const udpPort = await freePort();
    const configPath = join(dir, 'livekit.yaml');
    writeFileSync(
      configPath,
      livekitConfig({ port, tcpPort, udpPort, keys, webhookUrl: opts.webhookUrl }),
      { mode: 0o600 },
    );
    const proc = new ManagedProcess({
      name: 'livekit',
      command: livekitBinary(),
      args: ['--config', configPath],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      output: opts.output ?? 'ignore',
      capture: true,
    });
    const httpUrl = `http://127.0.0.1:${port}`;
    const rooms = new RoomServiceClient(httpUrl, keys.apiKey, keys.apiSecret);
    try {
      await waitUntil(() => rooms.listRooms().then(() => true), proc, opts.timeoutMs);
    } catch (err) {
      await proc.stop(300);
      failures.push((err as Error).message);
      if (!(err instanceof ExitedEarly)) break;
      continue;
    }
    return {
      ...keys,
      url: `ws://127.0.0.1:${port}`,
      httpUrl,
      process: proc,
      stop: () => proc.stop(opts.stopGraceMs ?? 300),
    };
  }
  throw new Error(`livekit-server did not start:\n${failures.join('\n')}`);
}

class ExitedEarly extends Error {}

/** Polls `ready` until it resolves true; fails at once when `proc` exits. */
async function waitUntil(
  ready: () => Promise<boolean>,
  proc: ManagedProcess,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) {
      const tail = proc.captured.join('').trim().split('\n').slice(-3).join('\n');
      throw new ExitedEarly(`livekit-server exited before it was ready: ${tail}`);
    }
    const probe = new Promise<boolean>((res) => {
      const timer = setTimeout(() => res(false), 5000);
      ready()
        .then(
          (ok) => res(ok),
          () => res(false),
        )
        .finally(() => clearTimeout(timer));
    });
    if (await probe) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`livekit-server was not ready within ${Math.round(timeoutMs / 1000)} s`);
}
