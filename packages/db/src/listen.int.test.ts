import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from './testing/index.ts';

const nextPayload = (received: string[], count: number) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const poll = () => {
      if (received.length >= count) return resolve();
      if (Date.now() > deadline) return reject(new Error('no notification in time'));
      setTimeout(poll, 10);
    };
    poll();
  });

describe.each(testDatabaseTargets())('LISTEN/NOTIFY on $name', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.open();
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

  it('delivers a NOTIFY sent in a transaction only after it commits, and stops on unlisten', async () => {
    const received: string[] = [];
    const stop = await t.database.listen('polyphony_test', (p) => received.push(p));
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('polyphony_test', 'one')`);
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toEqual([]);
    });
    await nextPayload(received, 1);
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('polyphony_test', 'rolled back')`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await t.database.db.execute(sql`select pg_notify('polyphony_test', 'two')`);
    await nextPayload(received, 2);
    expect(received).toEqual(['one', 'two']);
    await stop();
    await t.database.db.execute(sql`select pg_notify('polyphony_test', 'three')`);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual(['one', 'two']);
  });
});
