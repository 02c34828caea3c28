/**
 * Error codes that mean "the database cannot be reached or cannot answer right now", not "this
 * request is wrong": node's socket errors, the `postgres` driver's own connection codes, and
 * SQLSTATEs of a server that is shutting down, starting, out of connections or timed out.
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  // The socket (node:net)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  // The postgres driver
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  // SQLSTATE
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovering)
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
]);

/** SQLSTATE class 08: connection exception. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/**
 * Whether `err` (or an error it wraps: drizzle wraps the driver's error as `cause`) says the
 * database is briefly unavailable, so the request may be retried. Returns that code, for a log
 * line that carries no query and no parameter; null for every other error.
 */
export function databaseUnavailableCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_CODES.has(code) || CONNECTION_EXCEPTION.test(code))
    )
      return code;
    current = current.cause;
  }
  return null;
}
