import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from '@polyphony/db/testing';
import { startRedis, type RunningRedis } from '@polyphony/stack';
import { NO_LIVEKIT } from '../testing/staff-fixture.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

/** Opens a personal link that does not exist on each node in turn; the statuses, in order. */
async function linkUses(nodes: readonly TestApp[], count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const node = nodes[i % nodes.length]!;
    statuses.push((await fetch(`${node.baseUrl}/api/invites/${'a'.repeat(43)}`)).status);
  }
  return statuses;
}

// Link uses are limited per client address (here 3 a minute); every request comes from 127.0.0.1.
describe('rate limits across signal nodes', () => {
  let db: TestDatabase;
  let redis: RunningRedis;
  beforeAll(async () => {
    [db, redis] = await Promise.all([testDatabaseTargets()[0]!.open(), startRedis()]);
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await redis?.stop();
    await db?.dispose();
  }, DATABASE_OPEN_TIMEOUT_MS);

  const nodes = (redisUrl: string | null) =>
    Promise.all(
      [1, 2].map(() =>
        startTestApp(db.database, NO_LIVEKIT, { linkUsesPerMinute: 3, config: { redisUrl } }),
      ),
    );

  it('without Redis, each node counts on its own', async () => {
    const both = await nodes(null);
    try {
      expect(await linkUses(both, 6)).toEqual([404, 404, 404, 404, 404, 404]);
      expect(await linkUses(both, 2)).toEqual([429, 429]);
    } finally {
      await Promise.all(both.map((n) => n.close()));
    }
  });

  it('with REDIS_URL, two nodes share one count', async () => {
    const both = await nodes(redis.url);
    try {
      expect(await linkUses(both, 4)).toEqual([404, 404, 404, 429]);
      // A node started later still sees the count.
      const third = await startTestApp(db.database, NO_LIVEKIT, {
        linkUsesPerMinute: 3,
        config: { redisUrl: redis.url },
      });
      try {
        expect(await linkUses([third], 1)).toEqual([429]);
      } finally {
        await third.close();
      }
    } finally {
      await Promise.all(both.map((n) => n.close()));
    }
  });

  it('while Redis cannot answer, people are served (not limited, not refused) and the log says so once', async () => {
    const gone = await startRedis();
    const node = await startTestApp(db.database, NO_LIVEKIT, {
      linkUsesPerMinute: 3,
      config: { redisUrl: gone.url },
    });
    try {
      await gone.stop();
      expect(await linkUses([node], 5)).toEqual([404, 404, 404, 404, 404]);
      // ioredis reports the lost connection when its reconnect fails, which may come after the
      // requests above were served: wait for it, then make sure it is said once.
      const warnings = () => node.logs.filter((l) => l.includes('rate-limit store unavailable'));
      await expect.poll(() => warnings().length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await linkUses([node], 2)).toEqual([404, 404]);
      expect(warnings()).toHaveLength(1);
      expect(node.logs.join('\n')).not.toContain(gone.url);
    } finally {
      await node.close();
    }
  });
});
