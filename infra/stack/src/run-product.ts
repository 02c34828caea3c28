// The product on one machine: LiveKit, the signal service and the web server, one URL printed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { lockDataDir } from './data-lock.ts';
import { generateLivekitKeys, isInstance, ROOT, startStack, type LivekitKeys } from './index.ts';

/** Everything one product keeps: secrets and the embedded database. Two products need two. */
const dataDir = dataDirectory(process.env.POLYPHONY_DATA_DIR);
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
let unlock = (): void => {};
try {
  unlock = lockDataDir(dataDir);
} catch (err) {
  fail((err as Error).message);
}

function dataDirectory(raw: string | undefined): string {
  if (!raw) return join(ROOT, '.data');
  return isAbsolute(raw) ? raw : resolve(ROOT, raw);
}

interface Secrets {
  readonly livekit: LivekitKeys;
  readonly csrfSecret: string;
}

/** Secrets generated on first start and kept (mode 600) so sessions survive a restart. */
function loadSecrets(): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    livekit: generateLivekitKeys(),
    csrfSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** A preferred port from the environment; any free port is used when it is taken. */
function preferredPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    fail(`${name} must be a port number from 0 to 65535`);
  }
  return port;
}

function fail(message: string): never {
  process.stderr.write(`\nPolyphony cannot start: ${message}\n`);
  unlock();
  process.exit(1);
}

const secrets = loadSecrets();
const usePostgres = Boolean(process.env.DATABASE_URL);
const database = {
  kind: usePostgres ? ('postgres' as const) : ('pglite' as const),
  env: usePostgres
    ? { DATABASE_URL: process.env.DATABASE_URL }
    : { PGLITE_DIR: join(dataDir, 'pglite') },
  drop: async () => {},
};

/** Each wait tolerates a loaded machine: the embedded database may take minutes to open. */
const START_TIMEOUT_MS = 10 * 60_000;

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    database,
    livekitKeys: secrets.livekit,
    csrfSecret: secrets.csrfSecret,
    livekitDir: dataDir,
    ports: {
      web: preferredPort('PORT', 3000),
      signal: preferredPort('SIGNAL_PORT', 4000),
      livekit: preferredPort('LIVEKIT_PORT', 7880),
    },
    web: true,
    output: 'inherit',
    cookieSecure: false,
    timeoutMs: START_TIMEOUT_MS,
    signalEnv: { STARTUP_TIMEOUT_SECONDS: String(START_TIMEOUT_MS / 1000) },
  });
} catch (err) {
  fail((err as Error).message);
}

// Through the web server: our signal service answers (its instance id), and it reaches our
// database and our LiveKit (whose API accepts only our keys).
const health = await fetch(`${stack.origin}/api/health`);
if (!(await isInstance(stack.signal.instanceId)(health))) {
  await stack.stop();
  fail(`${stack.origin} does not reach the signal service this start launched`);
}
const ready = await fetch(`${stack.origin}/api/ready`).then((r) => r.json() as Promise<unknown>);
process.stderr.write(
  `[start] ready: ${JSON.stringify(ready)} (database: ${database.kind}, ` +
    `instance: ${stack.signal.instanceId}, ports: web ${stack.web?.url.split(':').pop()}, ` +
    `signal ${stack.signal.port}, livekit ${stack.livekit.httpUrl.split(':').pop()})\n`,
);
process.stdout.write(`\n  Polyphony is running: ${stack.origin}\n\n  Press Ctrl-C to stop.\n\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write('[start] stopping…\n');
  await stack.stop();
  unlock();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
