import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { connectWith } from '@polyphony/stack';
import { nextEventOf, type LiveClient } from '../testing/live-client.ts';
import { createTestMeeting } from '../testing/meeting-harness.ts';
import { until, useTestApp } from '../testing/use-test-app.ts';

// Presence is connection, not admission (issue 12, domain "Presence is connection"), against a
// real LiveKit whose webhooks reach the app: a connection that goes without leaving is noted as
// lost on every page, comes back without a new admission, and a dead waiting page leaves the lobby.
describe.each(testDatabaseTargets())('presence on $name', (target) => {
  // A 1 s heartbeat makes the waiting-page bound 1 s (closed) and 3 s (never closed).
  const t = useTestApp(target, {
    livekit: 'webhook',
    reconcileIntervalMs: 500,
    liveLimits: { heartbeatMs: 1000 },
  });
  const { http, join } = t;

  /** The next event of this type about this person (others, e.g. Lee's own, are skipped). */
  const about = async (live: LiveClient, type: string, participantId: string) => {
    for (;;) {
      const { event } = await nextEventOf(live, type, 30_000);
      if ((event as { participantId?: string }).participantId === participantId) return event;
    }
  };
  const stateOf = async (meetingId: string, participantId: string) => {
    const latest = await t.app.commands.states.latest(t.app.database.db, meetingId);
    return latest!.state.participants.find((p) => p.id === participantId)!;
  };

  it('a connection that goes is lost on the roster, and back without a new admission', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const dad = await join(await m.link('network', 'Robin Present-Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    const leeIn = await t.enter(lee);
    const dadIn = await t.enter(dad);
    expect(await about(leeIn.live, 'media.connected', dad.participantId)).toMatchObject({
      participantId: dad.participantId,
    });
    await until(
      async () => (await stateOf(m.meetingId, dad.participantId)).connection === 'connected',
      'Dad connected',
    );

    // Dad's media goes without a word to the meeting (as a dead browser's does, sooner).
    await dadIn.media.room.disconnect();
    expect(await about(leeIn.live, 'media.lost', dad.participantId)).toMatchObject({
      participantId: dad.participantId,
    });
    await until(async () => {
      const roster = leeIn.live.messages.filter((x) => x.type === 'roster').at(-1);
      return (
        roster?.type === 'roster' &&
        roster.participants.some(
          (p) => p.participantId === dad.participantId && p.connection === 'lost',
        )
      );
    }, 'the roster says Dad lost connection');
    const lost = await stateOf(m.meetingId, dad.participantId);
    expect(lost).toMatchObject({ state: 'admitted', admissionNumber: 1, connection: 'lost' });

    // He comes back on the same ticket: no new admission, and the log says he is back.
    const again = await connectWith(dadIn.snapshot.media!);
    dadIn.live.ws.send(JSON.stringify({ type: 'seat', sid: again.room.localParticipant!.sid }));
    expect(await about(leeIn.live, 'media.connected', dad.participantId)).toMatchObject({
      participantId: dad.participantId,
      back: true,
    });
    expect(await stateOf(m.meetingId, dad.participantId)).toMatchObject({
      state: 'admitted',
      admissionNumber: 1,
      connection: 'connected',
    });
    await again.room.disconnect();
  });

  it('a waiting page whose live channel is gone leaves the lobby; a knock without a channel stays', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const leeIn = await t.enter(lee);
    const gran = await join(await m.link('network', 'Ada Waiting-Gran'));
    const aunt = await join(await m.link('network', 'Eve Api-Aunt'));
    const granLive = t.live(gran);
    await granLive.nextOf('snapshot');
    await granLive.close();

    expect(await about(leeIn.live, 'participant.left', gran.participantId)).toMatchObject({
      participantId: gran.participantId,
      reason: 'lost',
    });
    expect((await stateOf(m.meetingId, gran.participantId)).state).toBe('left');
    // Several reconcile passes later, the knock that never opened a channel is still waiting.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await stateOf(m.meetingId, aunt.participantId)).state).toBe('waiting');
  });
});
