import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseUnavailableCode } from './database-unavailable.ts';
import { openDatabase } from './open-database.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from './testing/index.ts';

/** What a query on `database` failed with: the error and how long it took. */
async function failure(run: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
  } catch (err) {
    return { err, ms: Date.now() - started };
  }
  throw new Error('the query succeeded');
}

// A server that accepts connections and never says a word (a hung host, a half-open network):
// the connect timeout turns the wait into an error the error handler answers as 503.
describe('PostgreSQL that does not answer', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a query with CONNECT_TIMEOUT after the connect bound, not after minutes', async () => {
    const database = await openDatabase({
      kind: 'postgres',
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      timeouts: { connectS: 1 },
    });
    try {
      const { err, ms } = await failure(() => database.db.execute(sql`select 1`));
      expect(databaseUnavailableCode(err)).toBe('CONNECT_TIMEOUT');
      // Generous: the bound is 1 s; the driver's default would have been 30 s.
      expect(ms).toBeLessThan(10_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});

const postgresTargets = testDatabaseTargets().filter((t) => t.name === 'postgres');

describe.skipIf(postgresTargets.length === 0)(
  `statement timeout on PostgreSQL${postgresTargets.length ? '' : ' (SKIPPED: TEST_DATABASE_URL is not set)'}`,
  () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await postgresTargets[0]!.open();
    }, DATABASE_OPEN_TIMEOUT_MS);
    afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

    it('cancels a statement over the bound (57014, retryable) and keeps serving', async () => {
      const database = await openDatabase({
        kind: 'postgres',
        url: t.url!,
        maxConnections: 1,
        timeouts: { statementMs: 300 },
      });
      try {
        const { err } = await failure(() => database.db.execute(sql`select pg_sleep(5)`));
        expect(databaseUnavailableCode(err)).toBe('57014');
        expect(await database.ping()).toBe(true);
        // Migrations run without the bound (on a connection of their own).
        await database.migrate();
      } finally {
        await database.close();
      }
    });
  },
);
