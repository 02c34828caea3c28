import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, joinByLink, prepareMeeting, type PreparedMeeting } from './api-driver.ts';
import { freshDatabase, type DatabaseTarget } from './database.ts';
import { liveUrl, openLive, type LiveClient } from './live-client.ts';
import { startLivekit, type RunningLivekit } from './livekit.ts';
import { redisServerPath, startRedis, type RunningRedis } from './redis.ts';
import { startSignal, type RunningSignal } from './services.ts';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.ts';

/** The origin pages would have; no web server is needed for what this test drives. */
const ORIGIN = 'http://127.0.0.1:3999';
/** Go elsewhere: the close code of a draining node (`CLOSE_CODES.GO_ELSEWHERE`). */
const GO_ELSEWHERE = 1012;

interface Event {
  readonly type: 'event';
  readonly seq: number;
  readonly event: {
    readonly type: string;
    readonly participantId?: string;
    readonly mode?: string;
  };
}
interface Snapshot {
  readonly type: 'snapshot';
  readonly seq: number;
  readonly meeting: { readonly mode: string };
}

const eventsOf = (live: LiveClient) =>
  live.messages.filter((m): m is Event => m.type === 'event') as Event[];

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The same browser session calling another node (cookies and CSRF token carried over). */
function onNode(client: ApiClient, base: string): ApiClient {
  const other = new ApiClient(base, ORIGIN);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  other.csrfToken = client.csrfToken;
  return other;
}

function live(base: string, meetingId: string, client: ApiClient, since?: number): LiveClient {
  const query = since === undefined ? '' : `?since=${since}`;
  return openLive(liveUrl(base, meetingId, query), {
    Cookie: client.cookieHeader(),
    Origin: ORIGIN,
  });
}

/** Sequence numbers strictly increasing by one: nothing lost, nothing twice. */
function contiguous(seqs: readonly number[], from: number): boolean {
  return seqs.every((s, i) => s === from + i);
}

// Real processes: two signal nodes on one PostgreSQL database, a private redis-server for their
// rate limits, LiveKit, and a small TCP load balancer in front of the signal nodes (LiveKit's
// webhooks and reconnecting pages go through it). PostgreSQL: TEST_DATABASE_URL (as CI sets).
describe.skipIf(!process.env.TEST_DATABASE_URL || redisServerPath() === null)(
  'one-machine cluster: two signal nodes on one PostgreSQL',
  () => {
    let database: DatabaseTarget;
    let redis: RunningRedis;
    let balancer: TcpBalancer;
    let livekit: RunningLivekit;
    let nodes: RunningSignal[] = [];

    beforeAll(async () => {
      [database, redis, balancer] = await Promise.all([
        freshDatabase('postgres'),
        startRedis(),
        startTcpBalancer(),
      ]);
      livekit = await startLivekit({ webhookUrl: `${balancer.url()}/api/livekit/webhook` });
      const csrfSecret = randomBytes(32).toString('base64url');
      // Both at once on the empty database: they migrate one after the other.
      nodes = await Promise.all(
        [1, 2].map(() =>
          startSignal({
            livekit,
            database: database.env,
            publicOrigin: ORIGIN,
            csrfSecret,
            extraEnv: { REDIS_URL: redis.url, DRAIN_TIMEOUT_SECONDS: '20' },
          }),
        ),
      );
      balancer.targets = nodes.map((n) => n.port);
    });

    afterAll(async () => {
      for (const node of nodes) await node.stop();
      await livekit?.stop();
      await balancer?.close();
      await redis?.stop();
      await database?.drop();
    });

    it('serves one meeting from both nodes; a killed node\u2019s and a drained node\u2019s channels resume on the other, nothing lost or twice', async () => {
      const [a, b] = nodes as [RunningSignal, RunningSignal];
      for (const node of nodes) {
        const ready = await fetch(`${node.url}/api/ready`);
        expect(await ready.json()).toEqual({ database: 'up', livekit: 'up' });
      }
      const prepared: PreparedMeeting = await prepareMeeting(a.url, ORIGIN, [
        { name: 'Sam Centre', relationship: 'self', isCentre: true },
        { name: 'Robin Father', relationship: 'father' },
      ]);
      const { meetingId } = prepared;
      const linkOf = (name: string) => prepared.links.find((l) => l.name === name)!;
      // The facilitator enters through node A; the centre person through node B.
      const lee = prepared.admin;
      await lee.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
      const leeOnB = onNode(lee, b.url);
      const leeLive = live(a.url, meetingId, lee);
      const first = (await leeLive.nextOf('snapshot', 30_000)) as unknown as Snapshot;

      const sam = await joinByLink(b.url, ORIGIN, linkOf('Sam Centre').token, 'Sam Centre');
      await leeOnB.call(
        'POST',
        `/api/meetings/${meetingId}/participants/${sam.participantId}/admit`,
      );
      const samLive = live(b.url, meetingId, sam.client);
      await samLive.nextOf('snapshot', 30_000);

      // Robin knocks through node A: the facilitator's key on A, the centre person's on B.
      const robin = await joinByLink(a.url, ORIGIN, linkOf('Robin Father').token, 'Robin Father');
      const robinLive = live(a.url, meetingId, robin.client);
      await robinLive.nextOf('snapshot', 30_000);
      await lee.call(
        'POST',
        `/api/meetings/${meetingId}/participants/${robin.participantId}/admit`,
      );
      await sam.client.call(
        'POST',
        `/api/meetings/${meetingId}/participants/${robin.participantId}/consent`,
      );
      const admittedRobin = (l: LiveClient) =>
        eventsOf(l).some(
          (e) =>
            e.event.type === 'participant.admitted' &&
            e.event.participantId === robin.participantId,
        );
      for (const l of [leeLive, samLive, robinLive]) {
        await until(() => admittedRobin(l), 'Robin\u2019s admission reaches every channel');
      }

      // Mode switches from either node reach everyone.
      await leeOnB.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'reflecting' });
      await lee.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'dialogue' });
      const modes = (l: LiveClient) =>
        eventsOf(l)
          .filter((e) => e.event.type === 'mode.changed')
          .map((e) => e.event.mode);
      for (const l of [leeLive, samLive, robinLive]) {
        await until(() => modes(l).length === 2, 'both switches reach every channel');
        expect(modes(l)).toEqual(['reflecting', 'dialogue']);
      }
      // The facilitator sees every event: one by one, from either node's commits.
      expect(
        contiguous(
          eventsOf(leeLive).map((e) => e.seq),
          first.seq + 1,
        ),
      ).toBe(true);

      // Node B dies (SIGKILL by its PID): Sam's channel drops; meanwhile A commits two switches.
      const samBefore = eventsOf(samLive);
      const samSeen = samBefore.at(-1)!.seq;
      await b.process.kill();
      expect((await samLive.closed).code).toBe(1006);
      await lee.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'reflecting' });
      await lee.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'dialogue' });
      // The page comes back through the load balancer, which passes over the dead node.
      const samAgain = live(balancer.url(), meetingId, sam.client, samSeen);
      const resumed = (await samAgain.nextOf('snapshot', 30_000)) as unknown as Snapshot;
      expect(resumed.meeting.mode).toBe('dialogue');
      await until(
        () => (eventsOf(samAgain).at(-1)?.seq ?? samSeen) >= resumed.seq,
        'the missed events are replayed',
      );
      const replayed = eventsOf(samAgain).map((e) => e.seq);
      expect(replayed[0]).toBeGreaterThan(samSeen);
      expect(new Set([...samBefore.map((e) => e.seq), ...replayed]).size).toBe(
        samBefore.length + replayed.length,
      );
      expect(modes(samAgain)).toEqual(['reflecting', 'dialogue']);

      // Node B again; then node A is told to stop (SIGTERM): it drains. Its channels are sent
      // elsewhere with 1012, it exits 0, and the pages resume on B.
      await b.restart();
      const leeSeen = eventsOf(leeLive).at(-1)!.seq;
      a.process.child.kill('SIGTERM');
      expect((await leeLive.closed).code).toBe(GO_ELSEWHERE);
      expect((await robinLive.closed).code).toBe(GO_ELSEWHERE);
      expect(await a.process.exited).toBe(0);
      const leeAgain = live(balancer.url(), meetingId, lee, leeSeen);
      const onB = (await leeAgain.nextOf('snapshot', 30_000)) as unknown as Snapshot;
      expect(onB.seq).toBeGreaterThanOrEqual(leeSeen);
      await leeOnB.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'reflecting' });
      await until(() => modes(leeAgain).length === 1, 'the next switch on the node that stayed');
      expect(
        contiguous(
          eventsOf(leeAgain).map((e) => e.seq),
          leeSeen + 1,
        ),
      ).toBe(true);
      // Sam's channel (resumed on A) was drained too and comes back the same way.
      expect((await samAgain.closed).code).toBe(GO_ELSEWHERE);
      for (const l of [leeAgain]) l.close();
    });
  },
);
