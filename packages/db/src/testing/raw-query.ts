import type { Database } from '../open-database.ts';

interface PgliteClient {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}
interface PostgresClient {
  unsafe<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Runs one SQL statement with `$1…` parameters on either engine and returns its rows. For
 * tests that arrange or inspect rows the API does not expose (e.g. expiring a session).
 */
export async function rawQuery<T = Record<string, unknown>>(
  database: Database,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite')
    return (await (client as PgliteClient).query<T>(text, params)).rows;
  return (client as PostgresClient).unsafe<T>(text, params as never[]);
}

/**
 * PostgreSQL only: holds an ACCESS EXCLUSIVE lock on `table` in a transaction of its own, so
 * that every other read of it waits (a database that stops answering, for a test). Resolves
 * once the lock is held, with the function that releases it.
 */
export async function holdTableLock(
  database: Database,
  table: string,
): Promise<() => Promise<void>> {
  if (database.kind === 'pglite') throw new Error('holdTableLock needs PostgreSQL');
  if (!/^[a-z_]+$/.test(table)) throw new Error('not a table name');
  const client = (database.db as unknown as { $client: unknown }).$client as {
    begin<T>(fn: (tx: PostgresClient) => Promise<T>): Promise<T>;
  };
  let release = () => {};
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = client.begin(async (tx) => {
    await tx.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return async () => {
    release();
    await done;
  };
}
