import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from '../repo-root.ts';

export interface RunningLivekit {
  /** ws:// URL for clients (LIVEKIT_URL). */
  readonly url: string;
  /** http:// URL of the same server's API. */
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Stops the process this helper started (and only that one). */
  stop(): Promise<void>;
}

export interface StartLivekitOptions {
  /** Webhook receivers (signed with the generated key). */
  readonly webhookUrls?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

/** LIVEKIT_BIN, else `livekit-server` on PATH, else the toolchain's `.tools/bin/livekit-server`. */
export function resolveLivekitBinary(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['LIVEKIT_BIN'];
  if (explicit) return explicit;
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'livekit-server');
    if (isExecutable(candidate)) return candidate;
  }
  const bundled = join(repoRoot(), '.tools/bin/livekit-server');
  if (isExecutable(bundled)) return bundled;
  throw new Error('livekit-server not found: set LIVEKIT_BIN or run the toolchain bootstrap');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A run of `size` consecutive free UDP ports at a random place in 40000–59999. */
async function freeUdpRange(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 40000 + Math.floor(Math.random() * (20000 - size));
    const checks = await Promise.all(
      Array.from({ length: size }, (_, i) => udpPortFree(start + i)),
    );
    if (checks.every(Boolean)) return start;
  }
  throw new Error('no free UDP port range');
}

function configYaml(o: {
  port: number;
  tcpPort: number;
  udpStart: number;
  udpEnd: number;
  apiKey: string;
  apiSecret: string;
  webhookUrls: readonly string[];
}): string {
  const lines = [
    `port: ${o.port}`,
    'bind_addresses:',
    '  - 127.0.0.1',
    'rtc:',
    `  tcp_port: ${o.tcpPort}`,
    `  port_range_start: ${o.udpStart}`,
    `  port_range_end: ${o.udpEnd}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    'keys:',
    `  ${o.apiKey}: ${o.apiSecret}`,
    'logging:',
    '  level: warn',
  ];
  if (o.webhookUrls.length > 0) {
    lines.push('webhook:', `  api_key: ${o.apiKey}`, '  urls:');
    for (const url of o.webhookUrls) lines.push(`    - ${JSON.stringify(url)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts a real LiveKit server on free loopback ports and waits until its HTTP port answers. */
export async function startLivekit(options: StartLivekitOptions = {}): Promise<RunningLivekit> {
  const bin = resolveLivekitBinary(options.env);
  const [port, tcpPort, udpStart] = await Promise.all([
    freeTcpPort(),
    freeTcpPort(),
    freeUdpRange(20),
  ]);
  const apiKey = `test${randomBytes(4).toString('hex')}`;
  const apiSecret = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-livekit-'));
  const configPath = join(dir, 'livekit.yaml');
  writeFileSync(
    configPath,
    configYaml({
      port,
      tcpPort,
      udpStart,
      udpEnd: udpStart + 19,
      apiKey,
      apiSecret,
      webhookUrls: options.webhookUrls ?? [],
    }),
  );

  const child = spawn(bin, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const stop = async () => {
    if (running) {
      // A test server holds nothing worth a graceful drain (which takes LiveKit ~5 s).
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (!running) {
      await stop();
      throw new Error(`livekit-server exited during start:\n${output}`);
    }
    try {
      const response = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`livekit-server did not answer on ${httpUrl}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `ws://127.0.0.1:${port}`, httpUrl, apiKey, apiSecret, stop };
}
