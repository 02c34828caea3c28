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
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly maxConnections?: number;
      readonly timeouts?: Partial<PostgresTimeouts>;
    }
  | {
      readonly kind: 'pglite';
      readonly dataDir: string;
      /** A dump (`dumpDataDir`) to start from instead of an empty cluster (tests' template). */
      readonly loadDataDir?: Blob;
    };

/**
 * Bounds on waiting for PostgreSQL, so that an outage is a fast, coded answer (see
 * {@link databaseUnavailableCode}) rather than a request that hangs. PGlite runs in the process
 * and needs none.
 */
export interface PostgresTimeouts {
  /** Opening a connection (seconds). */
  readonly connectS: number;
  /** An unused pooled connection is closed after this long (seconds). */
  readonly idleS: number;
  /** Any one statement, lock waits included, is cancelled by the server after this (ms). */
  readonly statementMs: number;
  /** A transaction left idle this long is ended by the server, releasing its locks (ms). */
  readonly idleInTransactionMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
  connectS: 5,
  idleS: 30,
  statementMs: 15_000,
  idleInTransactionMs: 30_000,
};

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
    const timeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, ...config.timeouts };
    const connect = (max: number, statementMs: number) =>
      postgres(config.url, {
        max,
        onnotice: () => {},
        connect_timeout: timeouts.connectS,
        idle_timeout: timeouts.idleS,
        connection: {
          application_name: 'polyphony-signal',
          statement_timeout: statementMs,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        },
      });
    const client = connect(config.maxConnections ?? 10, timeouts.statementMs);
    const db = drizzlePostgres({ client, schema });
    return wrap('postgres', db as unknown as Db, {
      // A migration may rewrite a large table: its own connection, without the statement bound.
      async migrate() {
        const own = connect(1, 0);
        try {
          await migratePostgres(drizzlePostgres({ client: own }), {
            migrationsFolder: MIGRATIONS_FOLDER,
          });
        } finally {
          await own.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
      async listen(channel, onPayload) {
        const { unlisten } = await client.listen(channel, onPayload);
        return unlisten;
      },
    });
  }
  if (!config.dataDir.startsWith('memory://')) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(
    config.dataDir,
    config.loadDataDir ? { loadDataDir: config.loadDataDir } : {},
  );
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
