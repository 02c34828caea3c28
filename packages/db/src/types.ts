import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

export type Schema = typeof schema;

/** A drizzle database over either engine (PGlite or postgres.js). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** An open transaction; event appends and the state change they describe share one. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Either a database or a transaction, for reads that may run in both. */
export type DbOrTx = Db | Tx;
