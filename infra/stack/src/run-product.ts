import { randomBytes } from 'node:crypto';
// The product on one machine: LiveKit, the signal service and the web server, one URL printed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLivekitKeys, portOr, ROOT, startStack, type LivekitKeys } from './index.ts';

const dataDir = join(ROOT, '.data');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });

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
const secrets = loadSecrets();

const usePostgres = Boolean(process.env.DATABASE_URL);
const database = {
  kind: usePostgres ? ('postgres' as const) : ('pglite' as const),
  env: usePostgres
    ? { DATABASE_URL: process.env.DATABASE_URL }
    : { PGLITE_DIR: join(dataDir, 'pglite') },
  drop: async () => {},
};

const stack = await startStack({
  database,
  livekitKeys: secrets.livekit,
  csrfSecret: secrets.csrfSecret,
  livekitDir: dataDir,
  ports: {
    web: await portOr(Number(process.env.PORT ?? 3000)),
    signal: await portOr(4000),
    livekit: await portOr(7880),
  },
  web: true,
  output: 'inherit',
  cookieSecure: false,
});

const ready = await fetch(`${stack.origin}/api/ready`).then((r) => r.json() as Promise<unknown>);
process.stderr.write(`[start] ready: ${JSON.stringify(ready)} (database: ${database.kind})\n`);
process.stdout.write(`\n  Polyphony is running: ${stack.origin}\n\n  Press Ctrl-C to stop.\n\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write('[start] stopping…\n');
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
