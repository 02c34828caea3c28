import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ManagedProcess, waitForHttp } from './process.ts';
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

/** Starts livekit-server on free loopback ports with its own config. */
export async function startLivekit(opts: LivekitOptions = {}): Promise<RunningLivekit> {
  const port = opts.port ?? (await freePort());
  const tcpPort = await freePort();
  const udpPort = await freePort();
  const keys = opts.keys ?? generateLivekitKeys();
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'polyphony-livekit-'));
  const configPath = join(dir, 'livekit.yaml');
  writeFileSync(
    configPath,
    livekitConfig({ port, tcpPort, udpPort, keys, webhookUrl: opts.webhookUrl }),
    {
      mode: 0o600,
    },
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
  await waitForHttp(httpUrl, { proc });
  return {
    ...keys,
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    process: proc,
    stop: () => proc.stop(opts.stopGraceMs ?? 300),
  };
}
