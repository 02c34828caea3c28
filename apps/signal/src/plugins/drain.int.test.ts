import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { CLOSE_CODES, type LiveEvent, type LiveSnapshot } from '@polyphony/protocol';
import type { LiveClient } from '../testing/live-client.ts';
import { createTestMeeting, httpClient } from '../testing/meeting-harness.ts';
import { startTestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { drainApp, startDrain } from './drain.ts';

/** Every event frame the channel has received so far, in order. */
const eventsOf = (live: LiveClient) =>
  live.messages.filter((m): m is LiveEvent => m.type === 'event');

describe.each(testDatabaseTargets())('draining a signal node on $name', (target) => {
  // The node that stays; each test starts a second node on the same database and drains it.
  const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });

  it('fails readiness and sends new live channels elsewhere, while liveness still answers', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await t.join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const node = await startTestApp(t.db.database, t.livekit, { reconcileIntervalMs: 0 });
    try {
      const ready = await fetch(`${node.baseUrl}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ database: 'up', livekit: 'up' });
      startDrain(node.app);
      const draining = await fetch(`${node.baseUrl}/api/ready`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ database: 'up', livekit: 'up', draining: true });
      expect((await fetch(`${node.baseUrl}/api/health`)).status).toBe(200);
      const refused = t.live(lee, { on: node });
      expect((await refused.closed).code).toBe(CLOSE_CODES.GO_ELSEWHERE);
      expect(refused.messages).toEqual([]);
    } finally {
      await node.close();
    }
  });

  it('closes live channels with "go elsewhere"; another node resumes them by seq, nothing lost or repeated', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await t.join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const dad = await t.join(await m.link('network', 'Robin Drain-Dad'));
    const node = await startTestApp(t.db.database, t.livekit, { reconcileIntervalMs: 0 });
    let drained = false;
    try {
      const onNode = t.live(lee, { on: node });
      const snapshot = (await onNode.nextOf('snapshot')) as LiveSnapshot;
      // A command through the draining node, seen on its channel before the drain.
      expect((await httpClient(node.baseUrl).act(lee, 'admit', dad.participantId)).status).toBe(
        200,
      );
      while (!eventsOf(onNode).some((e) => e.event.type === 'participant.admitted')) {
        await onNode.next(10_000);
      }
      await drainApp(node.app);
      drained = true;
      expect((await onNode.closed).code).toBe(CLOSE_CODES.GO_ELSEWHERE);
      const before = eventsOf(onNode);
      const lastSeen = before.at(-1)!.seq;
      expect(before.map((e) => e.seq)).toEqual(
        Array.from({ length: lastSeen - snapshot.seq }, (_, i) => snapshot.seq + 1 + i),
      );

      // Meanwhile, through the node that stays: a reflection and back.
      expect((await t.http.mode(lee, 'reflecting')).status).toBe(200);
      expect((await t.http.mode(lee, 'dialogue')).status).toBe(200);

      const resumed = t.live(lee, { since: lastSeen });
      const again = (await resumed.nextOf('snapshot')) as LiveSnapshot;
      expect(again.meeting.mode).toBe('dialogue');
      const missed: LiveEvent[] = [];
      while (missed.length < again.seq - lastSeen) missed.push(await resumed.nextOf('event'));
      expect(missed.map((e) => e.seq)).toEqual(
        Array.from({ length: again.seq - lastSeen }, (_, i) => lastSeen + 1 + i),
      );
      expect(missed.map((e) => e.event.type)).toEqual(['mode.changed', 'mode.changed']);
      // And the channel goes on live on the node that stayed.
      expect((await t.http.mode(lee, 'reflecting')).status).toBe(200);
      expect(await resumed.nextOf('event')).toMatchObject({
        seq: again.seq + 1,
        event: { type: 'mode.changed', mode: 'reflecting' },
      });
    } finally {
      if (!drained) await node.close();
    }
  });
});
