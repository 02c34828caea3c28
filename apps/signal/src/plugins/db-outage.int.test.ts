import { describe, expect, it } from 'vitest';
import { openDatabase } from '@polyphony/db';
import type { TestDatabaseTarget } from '@polyphony/db/testing';
import { CLOSE_CODES } from '@polyphony/protocol';
import {
  countRemoteSound,
  postgresBinDir,
  publishTone,
  startPostgresCluster,
  type PostgresCluster,
} from '@polyphony/stack';
import { nextEventOf } from '../testing/live-client.ts';
import { createTestMeeting } from '../testing/meeting-harness.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import type { HttpAnswer } from '../testing/meeting-harness.ts';

/** Not a performance bound: "quickly" means well before a person gives up on a button. */
const ANSWER_WITHIN_MS = 5_000;

/**
 * PostgreSQL of this test's own (a temporary cluster on a free port), so that it can be stopped:
 * never the machine's shared server. Runs whatever engine the rest of the suite uses.
 */
function privateCluster(): TestDatabaseTarget & { readonly cluster: PostgresCluster } {
  let cluster: PostgresCluster | undefined;
  return {
    name: 'postgres',
    get cluster() {
      if (!cluster) throw new Error('the private cluster has not started');
      return cluster;
    },
    async open() {
      const started = (cluster = await startPostgresCluster());
      const database = await openDatabase({
        kind: 'postgres',
        url: started.url,
        maxConnections: 5,
      });
      await database.migrate();
      return {
        database,
        url: started.url,
        async dispose() {
          await database.close();
          await started.dispose();
        },
      };
    },
  };
}

async function timed(call: () => Promise<HttpAnswer>): Promise<HttpAnswer & { ms: number }> {
  const started = Date.now();
  const answer = await call();
  return { ...answer, ms: Date.now() - started };
}

const bin = postgresBinDir();
const skipped = bin
  ? ''
  : ' (SKIPPED: no PostgreSQL server programs (initdb, pg_ctl) under /usr/lib/postgresql)';

// Issue 18: while PostgreSQL is down, commands get a fast, coded, retryable 503 and the call
// goes on (LiveKit keeps everyone, sound keeps flowing); once it is back, commands work again.
describe.skipIf(!bin)(`a database outage on PostgreSQL${skipped}`, () => {
  const target = privateCluster();
  const t = useTestApp(target, { livekit: 'webhook', reconcileIntervalMs: 1000 });
  const { http, join } = t;

  it('answers 503 DATABASE_UNAVAILABLE quickly while the call continues, and recovers', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const dad = await join(await m.link('network', 'Robin Outage-Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    const aunt = await join(await m.link('network', 'Kim Waiting-Aunt'));
    const leeIn = await t.enter(lee);
    const dadIn = await t.enter(dad);
    const stopTone = await publishTone(dadIn.media.room, 440);
    const heard = countRemoteSound(leeIn.media.room, dadIn.snapshot.media!.identity);
    await expect.poll(() => heard.frames, { timeout: 60_000 }).toBeGreaterThan(50);

    await target.cluster.crash();

    // Commands: a coded, retryable answer, quickly, without touching anyone's media.
    for (const command of [
      () => http.mode(lee, 'reflecting'),
      () => http.act(lee, 'admit', aunt.participantId),
    ]) {
      const answer = await timed(command);
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.body).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    // The log says what happened, without the query or its parameters.
    const outageLines = t.logs.filter((l) => l.includes('database unavailable'));
    expect(outageLines.length).toBeGreaterThan(0);
    expect(outageLines.join('\n')).not.toContain(aunt.participantId);
    expect(t.logs.some((l) => l.includes('unhandled error'))).toBe(false);

    // A page that opens its live channel now is told to come back later, not that it failed.
    const late = t.live(dad);
    expect((await late.closed).code).toBe(CLOSE_CODES.TRY_AGAIN_LATER);

    // Meanwhile the call goes on: the open live channels stay, LiveKit keeps both seated and
    // Lee keeps hearing Dad (across several reconcile passes that cannot read the database).
    const before = heard.frames;
    await expect.poll(() => heard.frames, { timeout: 30_000 }).toBeGreaterThan(before + 200);
    for (const who of [leeIn, dadIn]) {
      expect(who.live.ws.readyState).toBe(who.live.ws.OPEN);
      expect(
        await t.app.livekit.getParticipant(m.meetingId, who.snapshot.media!.identity),
      ).toMatchObject({ seated: true });
    }

    await target.cluster.start();

    // Back: the same commands succeed (the pool reconnects by itself) and reach the room.
    await expect
      .poll(async () => (await http.act(lee, 'admit', aunt.participantId)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    expect((await nextEventOf(leeIn.live, 'participant.admitted', 30_000)).event).toMatchObject({
      participantId: aunt.participantId,
    });
    expect(await dadIn.media.disconnected(1)).toBe(false);
    const after = heard.frames;
    await expect.poll(() => heard.frames, { timeout: 30_000 }).toBeGreaterThan(after + 50);
    await heard.stop();
    await stopTone();
    expect((await http.mode(lee, 'reflecting')).status).toBe(200);
    expect((await nextEventOf(leeIn.live, 'mode.changed', 30_000)).event).toMatchObject({
      mode: 'reflecting',
    });
  });
});
