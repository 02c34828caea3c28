import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../open-database.ts';

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

async function openPgliteTestDatabase(): Promise<TestDatabase> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
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
