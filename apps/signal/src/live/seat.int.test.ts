import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { eavesdrop, publishSoundAsCamera } from '@polyphony/stack';
import { nextEventOf } from '../testing/live-client.ts';
import { createTestMeeting } from '../testing/meeting-harness.ts';
import { until, useTestApp } from '../testing/use-test-app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ADR 0014 against a real LiveKit and the real signal service: rights come from the seat, a
// second connection on someone's identity gets nothing, a forged track costs the seat.
describe.each(testDatabaseTargets())('seats and forged tracks on $name', (target) => {
  const t = useTestApp(target, { livekit: 'webhook', reconcileIntervalMs: 1000 });
  const { http, join } = t;

  const stateOf = async (meetingId: string, participantId: string) => {
    const latest = await t.app.commands.states.latest(t.app.database.db, meetingId);
    return latest!.state.participants.find((p) => p.id === participantId)!;
  };
  const member = (meetingId: string, identity: string) =>
    t.app.livekit.getParticipant(meetingId, identity);

  it('grants only the connection that claims its seat; a second one on the same ticket gets nothing and is reported', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const dad = await join(await m.link('network', 'Robin Seated-Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    const leeIn = await t.enter(lee);
    await leeIn.media.publishMicrophone();

    // A ticket alone: in the room, no rights at all.
    const dadLive = t.live(dad);
    const ticket = (await dadLive.nextOf('snapshot')).media!;
    const unseated = await t.connect(ticket);
    await sleep(1500);
    expect(await member(m.meetingId, ticket.identity)).toMatchObject({
      seated: false,
      permission: { canSubscribe: false, canPublish: false },
    });
    // A claim with someone else's sid changes nothing.
    dadLive.ws.send(JSON.stringify({ type: 'seat', sid: 'PA_notmine' }));
    await sleep(1000);
    expect((await member(m.meetingId, ticket.identity))?.seated).toBe(false);
    // The real claim seats it.
    dadLive.ws.send(JSON.stringify({ type: 'seat', sid: unseated.room.localParticipant!.sid }));
    await until(
      async () => (await member(m.meetingId, ticket.identity))?.seated === true,
      'Dad seated',
    );

    // The same ticket from a second client pushes the first out and receives nothing.
    const thief = await eavesdrop(ticket.url, ticket.token);
    expect(thief).not.toBeNull();
    await sleep(3000);
    expect(thief!.seen).toEqual({ audio: 0, video: 0, subscribed: 0 });
    expect(await member(m.meetingId, ticket.identity)).toMatchObject({
      seated: false,
      permission: { canSubscribe: false, canPublish: false },
    });
    await thief!.close();

    // The real page reports it: facilitators are told, the seat and admission stand.
    const leeEvents = leeIn.live;
    dadLive.ws.send(JSON.stringify({ type: 'displaced' }));
    const told = await nextEventOf(leeEvents, 'media.displaced');
    expect(told.event).toMatchObject({ type: 'media.displaced', participantId: dad.participantId });
    expect(await stateOf(m.meetingId, dad.participantId)).toMatchObject({
      state: 'admitted',
      admissionNumber: 1,
    });
  });

  it('removes a seat holder who publishes sound under a camera label, and says why', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const uncle = await join(await m.link('network', 'Kim Forging-Uncle'));
    expect((await http.act(lee, 'admit', uncle.participantId)).status).toBe(200);
    const leeIn = await t.enter(lee);
    const uncleIn = await t.enter(uncle);
    expect((await http.mode(lee, 'reflecting')).status).toBe(200);
    await nextEventOf(leeIn.live, 'mode.changed');

    const stop = await publishSoundAsCamera(uncleIn.media.room).catch(() => null);
    expect(await uncleIn.media.disconnected(10_000)).toBe(true);
    await stop?.();
    const removed = await nextEventOf(leeIn.live, 'participant.removed');
    expect(removed.event).toMatchObject({
      type: 'participant.removed',
      participantId: uncle.participantId,
      by: 'server',
      reason: 'sound_under_picture_label',
    });
    expect((await stateOf(m.meetingId, uncle.participantId)).state).toBe('stepped_out');
    expect(t.logs.some((l) => l.includes('forged track: removed from media'))).toBe(true);
  });
});
