/**
 * Queries built once per database (or transaction) object and then only executed: drizzle's
 * query builder costs more CPU than the rest of a small read (the control bench's profile:
 * about a seventh of the signal process's time on the staff read of a meeting, most of it in
 * building SQL the same way every time). A prepared query keeps the SQL text and only binds the
 * placeholders; postgres.js then reuses the server-side statement of each connection, PGlite
 * runs it as before. Keyed by the object passed, so a query prepared on the pool never runs
 * inside someone's transaction (a transaction prepares its own, used once).
 */
const cache = new WeakMap<object, Map<string, unknown>>();

export function preparedOn<T>(db: object, key: string, build: () => T): T {
  let mine = cache.get(db);
  if (!mine) {
    mine = new Map();
    cache.set(db, mine);
  }
  let query = mine.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    mine.set(key, query);
  }
  return query;
}
