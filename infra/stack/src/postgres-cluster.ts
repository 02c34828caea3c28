import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

/** Where Debian puts the server programs; the newest version wins. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The folder holding `initdb`, `pg_ctl` and `postgres`, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(DEBIAN_ROOT, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root and there is no postgres user to run a cluster as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A PostgreSQL cluster of its own (a temporary data folder, a free loopback port), which a test
 * may stop and start at will. It never touches any other server: every command names its own
 * data folder, and its socket lives in that folder too.
 */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`). */
  crash(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its data. */
  dispose(): Promise<void>;
}

const running = new Set<() => void>();
let exitHookInstalled = false;

function run(bin: string, args: readonly string[], user: ReturnType<typeof runAs>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(bin, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...(user ?? {}),
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${output.trim()}`)),
    );
  });
}

/** Creates a fresh cluster in a temporary folder and starts it. Needs {@link postgresBinDir}. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`PostgreSQL server programs not found under ${DEBIAN_ROOT}`);
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    user,
  );
  const pgCtl = join(bin, 'pg_ctl');
  const options = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    // Fast, yet a crash (`crash()`, an immediate stop) keeps every transaction that reported
    // its commit: the WAL is written before COMMIT answers and the kernel keeps it (fsync=off
    // only skips the flush to disk). `synchronous_commit=off` would answer first and lose the
    // last commits in a crash, and the signal service would have told the pages about events
    // the database then forgot, their sequence numbers handed out again.
    '-c fsync=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = () =>
    run(
      pgCtl,
      ['start', '-D', data, '-w', '-t', '120', '-l', join(dir, 'log'), '-o', options],
      user,
    );
  const stop = (mode: 'immediate' | 'fast') =>
    run(pgCtl, ['stop', '-D', data, '-w', '-t', '60', '-m', mode], user);
  const isUp = () => existsSync(join(data, 'postmaster.pid'));
  // Whatever happens to the test process, the server it started does not outlive it.
  const stopOnExit = () => {
    if (isUp()) {
      spawnSync(pgCtl, ['stop', '-D', data, '-m', 'immediate'], {
        stdio: 'ignore',
        ...(user ?? {}),
      });
    }
  };
  running.add(stopOnExit);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const s of running) s();
    });
  }
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    crash: () => stop('immediate'),
    start,
    async dispose() {
      running.delete(stopOnExit);
      if (isUp()) await stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
