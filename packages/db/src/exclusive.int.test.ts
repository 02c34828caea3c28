import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from './open-database.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from './testing/index.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabaseTargets())('locks shared by every process on $name', (target) => {
  let t: TestDatabase;
  /** A second process on the same database (PostgreSQL only: PGlite has one process). */
  let other: Database;
  beforeAll(async () => {
    t = await target.open();
    other = t.url ? await openDatabase({ kind: 'postgres', url: t.url }) : t.database;
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(async () => {
    if (other !== t?.database) await other?.close();
    await t?.dispose();
  }, DATABASE_OPEN_TIMEOUT_MS);

  it('runs work under the lock and gives back its value, or its error', async () => {
    expect(await t.database.exclusive('k:value', 'wait', async () => 42)).toEqual({
      held: true,
      value: 42,
    });
    await expect(
      t.database.exclusive('k:error', 'wait', async () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    // A failed work released its lock.
    expect(await other.exclusive('k:error', 'skip', async () => 'again')).toEqual({
      held: true,
      value: 'again',
    });
  });

  it.runIf(target.name === 'postgres')(
    'orders work on one key across processes: wait takes its turn, skip passes',
    async () => {
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const first = t.database.exclusive('meeting:1', 'wait', async () => {
        order.push('first in');
        entered();
        await gate;
        order.push('first out');
      });
      await inside;
      const second = other.exclusive('meeting:1', 'wait', async () => {
        order.push('second');
      });
      expect(await other.exclusive('meeting:1', 'skip', async () => 'ran')).toEqual({
        held: false,
      });
      // Another key is not held up.
      expect(await other.exclusive('meeting:2', 'skip', async () => 'ran')).toEqual({
        held: true,
        value: 'ran',
      });
      await sleep(200);
      expect(order).toEqual(['first in']);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first in', 'first out', 'second']);
    },
  );
});

describe.runIf(process.env.TEST_DATABASE_URL)('migrations on PostgreSQL', () => {
  it('several nodes starting at once on an empty database migrate one after another', async () => {
    const target = testDatabaseTargets().find((x) => x.name === 'postgres')!;
    // A migrated database, emptied of its schema: what a first start of a cluster finds.
    const t = await target.open();
    try {
      await t.database.db.execute(
        sql.raw(
          'drop schema public cascade; create schema public; drop schema if exists drizzle cascade',
        ),
      );
      const nodes = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: t.url! })),
      );
      try {
        await Promise.all(nodes.map((n) => n.migrate()));
        expect(await nodes[0]!.ping()).toBe(true);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
      }
    } finally {
      await t.dispose();
    }
  }, 60_000);
});
