import { getTableName, sql, type Column, type SQL } from 'drizzle-orm';

// For reads that bring a row's children back with it in one query (json aggregates): one round
// trip instead of one per list (docs/deploy.md, sizing).

/** A json column as the driver hands it: parsed already (postgres.js, PGlite) or text. */
export const fromJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * A timestamp as whole milliseconds since the epoch, a number in json: the `getTime()` of the
 * Date drizzle would give (which drops the microseconds PostgreSQL keeps), so comparisons of
 * two of them come out as they would on Dates.
 */
export const epochMs = (column: unknown): SQL =>
  sql`floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * A column named with its table, always. Drizzle leaves the table out of a single-table select's
 * columns, and inside a correlated subquery an unqualified `"id"` is the subquery's own.
 */
export const col = (column: Column): SQL =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
