import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import {
  CLOSE_CODES,
  type LiveLobby,
  type LiveSnapshot,
  type TimelineResponse,
} from '@polyphony/protocol';
import { createTestMeeting, type Session, type TestLink } from '../../testing/meeting-harness.ts';
import type { LiveClient } from '../../testing/live-client.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabaseTargets())('one personal link on several devices on $name', (target) => {
  const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });
  const { http } = t;

  const stateOf = async (meetingId: string, participantId: string) => {
    const latest = await t.app.commands.states.latest(t.app.database.db, meetingId);
    return latest!.state.participants.find((p) => p.id === participantId)!;
  };
  const identities = async (meetingId: string) =>
    (await t.app.livekit.listParticipants(meetingId)).map((p) => p.identity);
  /** The next lobby view with an entry for this participant, or none. */
  const lobbyWith = async (live: LiveClient, participantId: string) => {
    for (;;) {
      const lobby: LiveLobby = await live.nextOf('lobby');
      const entry = lobby.waiting.find((w) => w.participantId === participantId);
      if (entry) return entry;
    }
  };
  /** Opens the link in a browser that already holds this session (its cookie). */
  const reopen = (link: TestLink, session: Session) =>
    http.call('POST', `/api/invites/${link.token}/join`, {
      session,
      body: { displayName: link.name, companions: [] },
    });
  const raiseHand = (session: Session) =>
    http.call('PATCH', `/api/meetings/${session.meetingId}/participants/me`, {
      session,
      body: { wishToRespond: true },
    });

  it('a second device knocks beside the seat and needs both keys; the first keeps the seat until then', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await t.join(await m.link('facilitator', 'Dr Lee', m.hostStaffId));
    const sam = await t.join(await m.link('centre', 'Sam'));
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
    const peterLink = await m.link('network', 'Peter');
    const onA = await t.join(peterLink, ['Mum']);
    expect((await http.act(lee, 'admit', onA.participantId)).status).toBe(200);
    expect((await http.act(sam, 'consent', onA.participantId)).status).toBe(200);
    const peter = onA.participantId;

    const leeLive = t.live(lee);
    const samLive = t.live(sam);
    const aLive = t.live(onA);
    const aSnapshot: LiveSnapshot = await aLive.nextOf('snapshot');
    expect(aSnapshot.media?.identity).toBe(`${peter}.1`);
    const aMedia = await t.connect(aSnapshot.media!);
    expect(await identities(m.meetingId)).toContain(`${peter}.1`);

    // The same link opened in another browser (forwarded, or Peter's phone).
    const { res, session: onB } = await http.join(peterLink, ['Eve'], 'Someone else');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(onB!.participantId).toBe(peter);
    expect(onB!.cookie).not.toBe(onA.cookie);
    expect(await stateOf(m.meetingId, peter)).toMatchObject({
      state: 'admitted',
      admissionNumber: 1,
      otherDevice: { state: 'waiting', consent: null },
    });

    // Everyone who sees the lobby sees Peter joining from another device.
    for (const live of [leeLive, samLive]) {
      expect(await lobbyWith(live, peter)).toMatchObject({
        displayName: 'Peter', // the new device does not rename the seat
        state: 'waiting',
        fromAnotherDevice: true,
        needsFacilitator: true,
        needsCentre: true,
        centreAgreed: false,
        companions: [{ name: 'Eve', agreed: false }],
      });
    }

    // The first device is told, in case the link was forwarded.
    for (;;) if ((await aLive.nextOf('admission')).admission.otherDeviceKnocking) break;

    // The new device waits with no media; it can do nothing but wait or leave.
    const bLive = t.live(onB!);
    const bSnapshot: LiveSnapshot = await bLive.nextOf('snapshot');
    expect(bSnapshot.media).toBeNull();
    expect((await bLive.nextOf('admission')).admission.state).toBe('waiting');
    expect((await raiseHand(onB!)).status).toBe(403);
    // It reads neither the shared record nor the timeline (the first device does).
    for (const what of ['record', 'timeline']) {
      const path = `/api/meetings/${m.meetingId}/${what}`;
      expect((await http.call('GET', path, { session: onB! })).body).toMatchObject({
        error: { code: 'NOT_ADMITTED' },
      });
      expect((await http.call('GET', path, { session: onA })).status).toBe(200);
    }
    // …and hears nothing of the seat (who is with Peter in the room).
    const changed = await http.call('PATCH', `/api/meetings/${m.meetingId}/participants/me`, {
      session: onA,
      body: { companions: ['Mum', 'Gran'] },
    });
    expect(changed.status).toBe(200);
    for (;;) if ((await leeLive.nextOf('event')).event.type === 'companions.changed') break;
    await sleep(300);
    const seatNews = bLive.messages.filter(
      (msg) => msg.type === 'event' && msg.event.type === 'companions.changed',
    );
    expect(seatNews).toEqual([]);

    // A reload of the first device, or the link opened again there: the seat, unchanged.
    aLive.close();
    const aAgain = t.live(onA);
    const reload: LiveSnapshot = await aAgain.nextOf('snapshot');
    expect(reload.media?.identity).toBe(`${peter}.1`);
    const seq = (await http.call('GET', `/api/meetings/${m.meetingId}/timeline`, { session: lee }))
      .body as unknown as TimelineResponse;
    const reopened = await reopen(peterLink, onA);
    expect(reopened.status).toBe(200);
    expect(reopened.headers.get('set-cookie')).toContain(onA.cookie);
    const after = (
      await http.call('GET', `/api/meetings/${m.meetingId}/timeline`, { session: lee })
    ).body as unknown as TimelineResponse;
    expect(after.seq).toBe(seq.seq);

    // The facilitator alone does not let the new device in.
    expect((await http.act(lee, 'admit', peter)).status).toBe(200);
    await sleep(300);
    expect(await stateOf(m.meetingId, peter)).toMatchObject({ admissionNumber: 1 });
    expect(await identities(m.meetingId)).toContain(`${peter}.1`);

    // The centre person's consent turns the second key: the seat moves to the new device.
    expect((await http.act(sam, 'consent', peter)).status).toBe(200);
    expect(await stateOf(m.meetingId, peter)).toMatchObject({
      state: 'admitted',
      admissionNumber: 2,
      otherDevice: null,
    });
    expect((await aAgain.closed).code).toBe(CLOSE_CODES.MOVED);
    expect(await aMedia.disconnected(5000)).toBe(true);
    expect(await identities(m.meetingId)).not.toContain(`${peter}.1`);
    const entered: LiveSnapshot = await bLive.nextOf('snapshot');
    expect(entered.media?.identity).toBe(`${peter}.2`);
    expect(entered.me.companions).toEqual(['Eve']);

    // The first device's session counts for nothing now: told so, refused, no way back in.
    const moved = await raiseHand(onA);
    expect(moved.status).toBe(403);
    expect(moved.body).toMatchObject({ error: { code: 'MOVED_TO_ANOTHER_DEVICE' } });
    const record = await http.call('GET', `/api/meetings/${m.meetingId}/record`, {
      session: onA,
    });
    expect(record.body).toMatchObject({ error: { code: 'MOVED_TO_ANOTHER_DEVICE' } });
    expect(
      (await http.call('GET', `/api/meetings/${m.meetingId}/record`, { session: onB! })).status,
    ).toBe(200);
    const aThird = t.live(onA);
    expect((await aThird.closed).code).toBe(CLOSE_CODES.MOVED);

    const timeline = (
      await http.call('GET', `/api/meetings/${m.meetingId}/timeline`, { session: lee })
    ).body as unknown as TimelineResponse;
    const types = timeline.events.map((e) => e.event.type);
    expect(types).toContain('device.knocked');
    expect(timeline.events.at(-1)?.event).toMatchObject({
      type: 'participant.admitted',
      admissionNumber: 2,
      otherDevice: true,
    });
  });

  it('a declined second device leaves the first device’s seat untouched', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await t.join(await m.link('facilitator', 'Dr Lee', m.hostStaffId));
    const sam = await t.join(await m.link('centre', 'Sam'));
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
    const peterLink = await m.link('network', 'Peter');
    const onA = await t.join(peterLink);
    expect((await http.act(lee, 'admit', onA.participantId)).status).toBe(200);
    expect((await http.act(sam, 'consent', onA.participantId)).status).toBe(200);
    const aLive = t.live(onA);
    expect((await aLive.nextOf('snapshot')).media?.identity).toBe(`${onA.participantId}.1`);

    const onB = await t.join(peterLink);
    const bLive = t.live(onB);
    expect((await bLive.nextOf('admission')).admission.state).toBe('waiting');
    expect((await http.act(sam, 'decline', onA.participantId)).status).toBe(200);
    expect((await bLive.nextOf('admission')).admission.state).toBe('declined');

    const seat = await stateOf(m.meetingId, onA.participantId);
    expect(seat).toMatchObject({ state: 'admitted', admissionNumber: 1, declines: 1 });
    expect(seat.consent).not.toBeNull();
    // The seat's device still acts; knocking again from the new device must wait.
    expect(
      (
        await http.call('DELETE', `/api/meetings/${m.meetingId}/participants/me`, {
          session: onB,
        })
      ).status,
    ).toBe(200);
    const again = await http.join(peterLink);
    expect(again.res.status).toBe(429);
    await sleep(200);
    const reload = t.live(onA);
    expect((await reload.nextOf('snapshot')).media?.identity).toBe(`${onA.participantId}.1`);
    expect(await stateOf(m.meetingId, onA.participantId)).toMatchObject({ state: 'admitted' });
  });
});
