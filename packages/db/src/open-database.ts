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
  /**
   * Runs `work` while holding the lock named `key`, which every process on this database shares:
   * a transaction-scoped advisory lock (`pg_advisory_xact_lock` on a hash of the key), held on a
   * small pool of its own so that work waiting for a lock never starves queries. `wait` takes
   * its turn; `skip` does not run `work` when another holds the lock (`{ held: false }`). A
   * process that dies lets go at once (its connection closes). PGlite supports these locks, but
   * only one process can open a PGlite database, so there `work` simply runs.
   */
  exclusive<T>(key: string, mode: 'wait' | 'skip', work: () => Promise<T>): Promise<Exclusive<T>>;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** What {@link Database.exclusive} did: ran `work` under the lock, or skipped it. */
export type Exclusive<T> = { readonly held: true; readonly value: T } | { readonly held: false };

/** The lock every node takes around applying migrations. */
const MIGRATION_LOCK = 'polyphony:migrate';

/** Connections of the lock pool (each held only while its work runs). */
const LOCK_CONNECTIONS = 8;

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
    let locks: postgres.Sql | null = null;
    let ended = false;
    return wrap('postgres', db as unknown as Db, {
      // A migration may rewrite a large table: its own connection, without the statement bound.
      async migrate() {
        const own = connect(1, 0);
        try {
          // Nodes starting at once migrate one after another (the lock is this connection's,
          // released when it ends); the later ones find nothing left to do.
          await own`select pg_advisory_lock(hashtextextended(${MIGRATION_LOCK}, 0))`;
          await migratePostgres(drizzlePostgres({ client: own }), {
            migrationsFolder: MIGRATIONS_FOLDER,
          });
        } finally {
          await own.end({ timeout: 5 });
        }
      },
      async close() {
        ended = true;
        await Promise.all([client.end({ timeout: 5 }), locks?.end({ timeout: 5 })]);
      },
      async listen(channel, onPayload) {
        const { unlisten } = await client.listen(channel, onPayload);
        return unlisten;
      },
      async exclusive<T>(key: string, mode: 'wait' | 'skip', work: () => Promise<T>) {
        // A late task after close must not open a new pool on a database that may be gone.
        if (ended) throw new Error('the database is closed');
        locks ??= connect(LOCK_CONNECTIONS, timeouts.statementMs);
        const outcome = await locks.begin(async (sql) => {
          if (mode === 'wait') {
            await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
          } else {
            const [row] = await sql<{ held: boolean }[]>`
              select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as held`;
            if (!row?.held) return [{ held: false }];
          }
          // In an array: postgres.js would otherwise await a thenable value itself.
          return [{ held: true, value: await work() }];
        });
        return (outcome as unknown as [Exclusive<T>])[0];
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
    // One process holds a PGlite database: its own serial queues are the whole lock.
    exclusive: async (_key, _mode, work) => ({ held: true, value: await work() }),
  });
}

function wrap(
  kind: DatabaseConfig['kind'],
  db: Db,
  ops: Pick<Database, 'migrate' | 'close' | 'listen' | 'exclusive'>,
): Database {
  let closed = false;
  return {
    kind,
    db,
    migrate: ops.migrate,
    listen: ops.listen,
    exclusive: ops.exclusive,
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
