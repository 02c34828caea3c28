import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, openDatabase, type Database } from '../open-database.ts';

/** A migrated database for one test file, and how to throw it away. */
export interface TestDatabase {
  readonly database: Database;
  /** For engines that need one (Postgres): the URL of this throwaway database. */
  readonly url: string | null;
  dispose(): Promise<void>;
}

export interface TestDatabaseTarget {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

/** PGlite needs a few seconds to boot; hooks that open one should allow this much. */
export const DATABASE_OPEN_TIMEOUT_MS = 60_000;

/**
 * The engines storage tests run on: always PGlite (in memory), and PostgreSQL too when
 * `TEST_DATABASE_URL` is set (a fresh database is created per call and dropped on dispose).
 */
export function testDatabaseTargets(
  env: NodeJS.ProcessEnv = process.env,
): readonly TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [{ name: 'pglite', open: openPgliteTestDatabase }];
  const url = env['TEST_DATABASE_URL'];
  if (url) targets.push({ name: 'postgres', open: () => openPostgresTestDatabase(url) });
  return targets;
}

/**
 * A migrated, empty PGlite cluster as a dump, made once per set of migrations and kept in the
 * temporary folder: starting from it skips PGlite's initdb and the migrations, which cost each
 * test file seconds (the file is named by a hash of the migrations, so a new one makes a new
 * template; it is written under a temporary name and renamed, so parallel makers never clash).
 */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    hash.update(file);
    try {
      hash.update(readFileSync(join(MIGRATIONS_FOLDER, file)));
    } catch {
      // a folder
    }
  }
  const path = join(tmpdir(), `polyphony-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    // not made yet
  }
  const client = await PGlite.create('memory://');
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await client.dumpDataDir('none');
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, path);
    return dump;
  } finally {
    await client.close();
  }
}

async function openPgliteTestDatabase(): Promise<TestDatabase> {
  // PGLITE_TEMPLATE=off: initdb and migrations per test file, as before the template (for
  // measuring what the template saves; `docs/operations.md`).
  const fromTemplate = process.env['PGLITE_TEMPLATE'] !== 'off';
  const database = await openDatabase({
    kind: 'pglite',
    dataDir: 'memory://',
    ...(fromTemplate ? { loadDataDir: await pgliteTemplate() } : {}),
  });
  // From the template this only checks, in milliseconds.
  await database.migrate();
  return { database, url: null, dispose: () => database.close() };
}

async function openPostgresTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `polyphony_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
  await database.migrate();
  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
