import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/** Environment that points the signal service at one database. */
export interface DatabaseTarget {
  readonly kind: 'pglite' | 'postgres';
  readonly env: { DATABASE_URL?: string; PGLITE_DIR?: string };
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test run: a new Postgres database when TEST_DATABASE_URL
 * is set (it must reach a server where we may CREATE DATABASE), else a new PGlite folder.
 */
export async function freshDatabase(
  kind: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
): Promise<DatabaseTarget> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'polyphony-pglite-'));
    return {
      kind,
      env: { PGLITE_DIR: dir },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `polyphony_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
