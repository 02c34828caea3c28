import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { freePort } from './ports.ts';
import { ManagedProcess, START_TIMEOUT_MS } from './process.ts';

/** A private `redis-server` this code started (never the machine's shared one on 6379). */
export interface RunningRedis {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Where `redis-server` is: on PATH (Debian's package) or null. */
export function redisServerPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/redis-server`)) return `${dir}/redis-server`;
  }
  return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}

/**
 * Starts `redis-server` on a free loopback port with nothing kept on disk, and waits until it
 * answers PING. Stopped by the process id it started.
 */
export async function startRedis(
  opts: { output?: string | 'inherit' | 'ignore'; timeoutMs?: number } = {},
): Promise<RunningRedis> {
  const command = redisServerPath();
  if (!command) throw new Error('redis-server is not installed (Debian package redis-server)');
  const port = await freePort();
  const proc = new ManagedProcess({
    name: 'redis',
    command,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    env: { PATH: process.env.PATH ?? '' },
    output: opts.output ?? 'ignore',
    capture: true,
  });
  const deadline = Date.now() + (opts.timeoutMs ?? START_TIMEOUT_MS);
  while (!(await pong(port))) {
    if (!proc.running || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`redis-server did not start:\n${proc.captured.join('').slice(-1000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, port, process: proc, stop: () => proc.stop() };
}

/** Whether a Redis server on `port` answers PING. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * One Redis command on a private server (`redis-server` this code started) and its reply: a
 * bulk or simple string, an integer as text, or null. For tests that read what LiveKit keeps
 * in Redis (which node hosts a room); arrays are not parsed.
 */
export function redisCommand(port: number, ...args: string[]): Promise<string | null> {
  const request =
    `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(5000, () => fail(new Error('redis: no reply')));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (data) => {
      reply = Buffer.concat([reply, data]);
      const text = reply.toString('latin1');
      const eol = text.indexOf('\r\n');
      if (eol < 0) return;
      const head = text.slice(0, eol);
      const kind = head[0];
      if (kind === '-') return fail(new Error(`redis: ${head.slice(1)}`));
      if (kind === '+' || kind === ':') {
        socket.destroy();
        return resolve(head.slice(1));
      }
      if (kind !== '$') return fail(new Error(`redis: unexpected reply ${kind}`));
      const length = Number(head.slice(1));
      if (length < 0) {
        socket.destroy();
        return resolve(null);
      }
      if (reply.length < eol + 2 + length + 2) return;
      socket.destroy();
      resolve(reply.subarray(eol + 2, eol + 2 + length).toString());
    });
  });
}
