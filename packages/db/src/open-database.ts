import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import type { Db } from './types.ts';

/** Where the data lives: a PostgreSQL URL, or PGlite (a directory, or `memory://`). */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number }
  | { readonly kind: 'pglite'; readonly dataDir: string };

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly db: Db;
  /** Applies the committed migrations (the same ones on both engines). */
  migrate(): Promise<void>;
  /**
   * LISTEN on a channel: `onPayload` gets each NOTIFY payload sent (by any connection, after its
   * transaction commits). Resolves once listening; returns the function that stops it.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The committed migrations folder, resolved from this file so any working directory works. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const client = postgres(config.url, {
      max: config.maxConnections ?? 10,
      onnotice: () => {},
      connection: { application_name: 'polyphony-signal' },
    });
    const db = drizzlePostgres({ client, schema });
    return wrap('postgres', db as unknown as Db, {
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
      async listen(channel, onPayload) {
        const { unlisten } = await client.listen(channel, onPayload);
        return unlisten;
      },
    });
  }
  if (!config.dataDir.startsWith('memory://')) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir);
  const db = drizzlePglite({ client, schema });
  return wrap('pglite', db as unknown as Db, {
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
    async listen(channel, onPayload) {
      const stop = await client.listen(channel, onPayload);
      return async () => {
        if (!client.closed) await stop();
      };
    },
  });
}

function wrap(
  kind: DatabaseConfig['kind'],
  db: Db,
  ops: Pick<Database, 'migrate' | 'close' | 'listen'>,
): Database {
  let closed = false;
  return {
    kind,
    db,
    migrate: ops.migrate,
    listen: ops.listen,
    async ping() {
      if (closed) return false;
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await ops.close();
    },
  };
}
