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
