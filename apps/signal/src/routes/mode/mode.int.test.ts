import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { mediaAssignments } from '@polyphony/domain';
import { tokenClaims } from '@polyphony/stack';
import { sameGrants } from '../../plugins/livekit-grants.ts';
import type { LivekitParticipant } from '../../plugins/livekit.ts';
import {
  createStaffSession,
  createTestMeeting,
  type Session,
} from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';
import { nextEventOf } from '../../testing/live-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe.each(testDatabaseTargets())('mode switching enforced by LiveKit on $name', (target) => {
  // No reconcile loop here: convergence must come from the commands themselves.
  const t = useTestApp(target, { livekit: 'webhook', reconcileIntervalMs: 0 });
  const { http, join } = t;

  const enterMedia = (session: Session) => t.enter(session);
  const roomOf = (meetingId: string) => t.app.livekit.listParticipants(meetingId);
  const find = (list: LivekitParticipant[], participantId: string) =>
    list.find((p) => p.identity.startsWith(`${participantId}.`));
  const hasMic = (p: LivekitParticipant | undefined) =>
    p?.tracks.some((track) => track.source === 'microphone') ?? false;

  it('takes the network\u2019s microphone away in a reflection, keeps the team\u2019s, converges under rapid switching', async () => {
    const m = await createTestMeeting(t.app);
    const cole = await createStaffSession(t.app, m.organisationId, 'Dr Cole Cofacilitator');
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const co = await join(await m.link('cofacilitator', 'Dr Cole Cofacilitator', cole.staffId));
    const dad = await join(await m.link('network', 'Robin Reflecting-Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);

    const leeIn = await enterMedia(lee);
    const dadIn = await enterMedia(dad);
    await leeIn.media.publishMicrophone();
    await dadIn.media.publishMicrophone();
    await eventually(async () => {
      const room = await roomOf(m.meetingId);
      return hasMic(find(room, lee.participantId)) && hasMic(find(room, dad.participantId));
    });

    expect((await http.mode(lee, 'reflecting')).status).toBe(200);
    // The SFU unpublishes the blocked microphone; the team keeps theirs.
    await eventually(async () => !hasMic(find(await roomOf(m.meetingId), dad.participantId)), 2000);
    const reflecting = await roomOf(m.meetingId);
    expect(hasMic(find(reflecting, lee.participantId))).toBe(true);
    expect(find(reflecting, dad.participantId)?.permission).toMatchObject({
      canSubscribe: true,
      canPublish: true,
      canPublishSources: ['camera'],
    });
    // A modified client trying again gets nowhere.
    const retry = await dadIn.media.publishMicrophone().then(
      () => 'published',
      () => 'refused',
    );
    await sleep(1000);
    expect(hasMic(find(await roomOf(m.meetingId), dad.participantId))).toBe(false);
    expect(['published', 'refused']).toContain(retry);

    // Everyone is told, with a mode event in sequence.
    const told = await nextEventOf(dadIn.live, 'mode.changed');
    expect(told.event).toMatchObject({ type: 'mode.changed', mode: 'reflecting' });

    // A late joiner during the reflection: a ticket with no rights, then camera-only grants.
    const aunt = await join(await m.link('network', 'Kim Late-Aunt'));
    expect((await http.act(co, 'admit', aunt.participantId)).status).toBe(200);
    const auntIn = await enterMedia(aunt);
    expect(tokenClaims(auntIn.snapshot.media!.token)['video']).toMatchObject({
      canSubscribe: false,
      canPublish: false,
    });
    expect(find(await roomOf(m.meetingId), aunt.participantId)?.permission).toMatchObject({
      canSubscribe: true,
      canPublishSources: ['camera'],
    });

    // Two facilitators toggling fast, concurrently: LiveKit ends up equal to the database.
    const toggler = async (session: Session) => {
      for (let i = 0; i < 25; i++) {
        const mode = Math.random() < 0.5 ? 'dialogue' : 'reflecting';
        const res = await http.mode(session, mode);
        expect(res.status).toBe(200);
        await sleep(Math.floor(Math.random() * 15));
      }
    };
    await Promise.all([toggler(lee), toggler(co)]);
    await t.app.commands.effects.idle();
    const latest = await t.app.commands.states.latest(t.app.database.db, m.meetingId);
    const expected = new Map(mediaAssignments(latest!.state).map((a) => [a.identity, a.grants]));
    const room = await roomOf(m.meetingId);
    expect(room.length).toBe(3);
    for (const p of room) {
      const grants = expected.get(p.identity);
      expect(grants, p.identity).toBeDefined();
      expect(sameGrants(p.permission, grants!), `${p.identity} in ${latest!.state.mode}`).toBe(
        true,
      );
    }
    expect(latest!.meeting.mode).toBe(latest!.state.mode);
  });
});
