import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './paths.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

// `npm start` twice at once on one machine, both told the same preferred ports: each must come
// up on its own ports and talk only to itself (or fail with a clear message). Needs the web
// build (`pnpm --filter @polyphony/web run build`), as `npm start` and `npm test` make it.

const RUN_PRODUCT = join(ROOT, 'infra/stack/src/run-product.ts');
const STARTED = /Polyphony is running: (http:\/\/\S+)/;
const READY = /instance: ([\w-]+), ports: web (\d+), signal (\d+), livekit (\d+)/;
const REFUSED = /Polyphony cannot start: (.+)/;
const START_MS = 8 * 60_000;

interface Product {
  readonly proc: ManagedProcess;
  readonly dataDir: string;
}

interface Started {
  readonly origin: string;
  readonly instance: string;
  readonly ports: readonly number[];
}

const products: Product[] = [];
const dirs: string[] = [];

function launch(dataDir: string, preferred: { web: number; signal: number; livekit: number }) {
  const proc = new ManagedProcess({
    name: 'product',
    command: process.execPath,
    args: ['--import', 'tsx', RUN_PRODUCT],
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      POLYPHONY_DATA_DIR: dataDir,
      PORT: String(preferred.web),
      SIGNAL_PORT: String(preferred.signal),
      LIVEKIT_PORT: String(preferred.livekit),
    },
    capture: true,
  });
  const product = { proc, dataDir };
  products.push(product);
  return product;
}

const output = (p: Product): string => p.proc.captured.join('');

/** Waits until the product says it runs (its origin, instance and ports) or has exited. */
async function outcome(p: Product): Promise<Started | { refused: string }> {
  await expect
    .poll(() => STARTED.test(output(p)) || !p.proc.running, { timeout: START_MS, interval: 500 })
    .toBe(true);
  const text = output(p);
  const started = STARTED.exec(text);
  const ready = READY.exec(text);
  if (!started || !ready) return { refused: REFUSED.exec(text)?.[1] ?? text.slice(-2000) };
  return {
    origin: started[1]!,
    instance: ready[1]!,
    ports: [Number(ready[2]), Number(ready[3]), Number(ready[4])],
  };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-start-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const p of products) await p.proc.stop(30_000);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('npm start, twice on one machine', () => {
  it(
    'each product binds its own ports and answers for itself only',
    async () => {
      const preferred = { web: await freePort(), signal: await freePort(), livekit: 0 };
      preferred.livekit = await freePort();
      const a = launch(tempDir(), preferred);
      const b = launch(tempDir(), preferred);
      const [ra, rb] = await Promise.all([outcome(a), outcome(b)]);
      // Both have their own sockets (bound once, handed over), so both must come up.
      expect(ra, output(a).slice(-3000)).toHaveProperty('origin');
      expect(rb, output(b).slice(-3000)).toHaveProperty('origin');
      const one = ra as Started;
      const two = rb as Started;

      expect(new Set([...one.ports, ...two.ports]).size).toBe(6);
      expect(one.origin).not.toBe(two.origin);
      expect(one.instance).not.toBe(two.instance);
      for (const started of [one, two]) {
        // Through the web server: its own signal service (the instance id this start made) …
        const health = await fetch(`${started.origin}/api/health`);
        expect(await health.json()).toEqual({ status: 'ok', instance: started.instance });
        // … which reaches its own LiveKit: another's would refuse its keys.
        const ready = await fetch(`${started.origin}/api/ready`);
        expect(await ready.json()).toEqual({ database: 'up', livekit: 'up' });
      }

      // First-run setup on one is not seen on the other: separate databases.
      const setup = await fetch(`${one.origin}/api/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: one.origin },
        body: JSON.stringify({
          organisationName: 'Team A',
          displayName: 'Admin A',
          email: 'admin.a@example.org',
          password: 'correct horse battery staple',
        }),
      });
      expect(setup.status).toBe(201);
      const needed = async (origin: string) =>
        ((await (await fetch(`${origin}/api/setup`)).json()) as { needed: boolean }).needed;
      expect(await needed(one.origin)).toBe(false);
      expect(await needed(two.origin)).toBe(true);
      const signIn = await fetch(`${two.origin}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: two.origin },
        body: JSON.stringify({
          email: 'admin.a@example.org',
          password: 'correct horse battery staple',
        }),
      });
      expect(signIn.status).toBe(401);

      // A third start on the first one's data folder refuses, saying why.
      const third = launch(a.dataDir, preferred);
      const r3 = await outcome(third);
      expect(r3).toHaveProperty('refused');
      expect((r3 as { refused: string }).refused).toMatch(
        /another Polyphony \(process \d+\) is using the data folder/,
      );
      expect(await third.proc.exited).toBe(1);
    },
    START_MS * 2 + 120_000,
  );
});
