// The interpreter (issue 16): a link that names a language, both keys at the door, a roster that
// says whom they speak for, and a microphone the SFU keeps granted through a reflection.
import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type {
  CreateMeetingResponse,
  CreatedInvite,
  NetworkDetail,
  NetworkMember,
} from '@polyphony/protocol';
import type { LivekitParticipant } from '../../plugins/livekit.ts';
import { createTestMeeting } from '../../testing/meeting-harness.ts';
import { addStaff, setUp } from '../../testing/staff-fixture.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe.each(testDatabaseTargets())('interpreter links on $name', (target) => {
  const t = useTestApp(target, { signInLimits: { perIp: 1000, perEmail: 1000 } });

  it('makes an interpreter link only with a well-formed language, stored canonical', async () => {
    const { admin } = await setUp(t.app);
    const lee = await addStaff(t.app, admin, 'clinician', 'Dr Lee Interpreting');
    const visitor = await addStaff(t.app, admin, 'clinician', 'Rana Staff-Interpreter');
    const network = (
      await lee.client.call<NetworkDetail>('POST', '/api/networks', {
        label: 'Network I',
        firstContactAt: new Date().toISOString(),
        coreTeamStaffIds: [lee.member.id],
      })
    ).body;
    const member = async (name: string, isCentre = false) =>
      (
        await lee.client.call<NetworkMember>('POST', `/api/networks/${network.id}/members`, {
          name,
          relationship: '',
          isCentre,
        })
      ).body;
    await member('Sam Centre-I', true);
    const layla = await member('Layla Agency-Interpreter');
    const dad = await member('Dad Network-I');
    const meetingId = (
      await lee.client.call<CreateMeetingResponse>('POST', `/api/networks/${network.id}/meetings`, {
        kind: 'immediate',
      })
    ).body.meeting.meeting.id;
    const invite = (body: unknown) =>
      lee.client.call<CreatedInvite>('POST', `/api/meetings/${meetingId}/invites`, body);
    const invitesNow = async () =>
      (await rawQuery<{ n: number }>(t.db.database, 'select count(*)::int as n from invites'))[0]!
        .n;

    const before = await invitesNow();
    const refused = [
      [await invite({ memberId: layla.id, role: 'interpreter' }), 'VALIDATION_FAILED'],
      [
        await invite({ memberId: layla.id, role: 'interpreter', language: 'Arabic' }),
        'VALIDATION_FAILED',
      ],
      [
        await invite({ memberId: layla.id, role: 'interpreter', language: `ar-${'x'.repeat(40)}` }),
        'VALIDATION_FAILED',
      ],
      [
        await invite({ memberId: layla.id, role: 'interpreter', language: 'ar\u202E' }),
        'VALIDATION_FAILED',
      ],
      [
        await invite({ memberId: layla.id, role: 'interpreter', language: 'ar-Arab-Latn' }),
        'VALIDATION_FAILED',
      ],
      [await invite({ memberId: dad.id, language: 'ar' }), 'VALIDATION_FAILED'],
      [await invite({ memberId: dad.id, role: 'network', language: 'ar' }), 'VALIDATION_FAILED'],
    ] as const;
    for (const [res, code] of refused) {
      expect([res.status, (res.body as unknown as { error: { code: string } }).error.code]).toEqual(
        [400, code],
      );
    }
    expect(await invitesNow()).toBe(before);

    const agency = await invite({ memberId: layla.id, role: 'interpreter', language: 'AR' });
    expect(agency.status).toBe(201);
    expect(agency.body.invite).toMatchObject({ role: 'interpreter', language: 'ar' });
    const staffOne = await invite({
      staffId: visitor.member.id,
      role: 'interpreter',
      language: 'fa-af',
    });
    expect(staffOne.status).toBe(201);
    expect(staffOne.body.invite).toMatchObject({ role: 'interpreter', language: 'fa-AF' });
    const plain = await invite({ memberId: dad.id });
    expect(plain.body.invite).toMatchObject({ role: 'network', language: null });

    // The meeting's page lists the links with their language.
    const detail = await lee.client.call<{ invites: { role: string; language: string | null }[] }>(
      'GET',
      `/api/meetings/${meetingId}`,
    );
    expect(
      detail.body.invites.filter((i) => i.role === 'interpreter').map((i) => i.language),
    ).toEqual(['ar', 'fa-AF']);
  });
});

describe.each(testDatabaseTargets())('the interpreter in the room on $name', (target) => {
  const t = useTestApp(target, { livekit: 'webhook', reconcileIntervalMs: 0 });
  const { http, join } = t;
  const find = (list: LivekitParticipant[], participantId: string) =>
    list.find((p) => p.identity.startsWith(`${participantId}.`));
  const hasMic = (p: LivekitParticipant | undefined) =>
    p?.tracks.some((track) => track.source === 'microphone') ?? false;

  it('needs both keys, is on the roster with the language, and keeps the microphone in a reflection', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const sam = await join(await m.link('centre', 'Sam Centre-Room'));
    const dad = await join(await m.link('network', 'Robin Dad-Room'));
    const layla = await join(
      await m.link('interpreter', 'Layla Interpreter-Room', undefined, 'ar'),
    );
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);

    // The facilitator's key alone does not open the door: the centre person must agree.
    expect((await http.act(lee, 'admit', layla.participantId)).status).toBe(200);
    const waiting = await rawQuery<{ state: string }>(
      t.db.database,
      'select state from participants where id = $1',
      [layla.participantId],
    );
    expect(waiting[0]!.state).toBe('waiting');
    // Nor does the interpreter hold any power over the door.
    expect((await http.act(layla, 'admit', dad.participantId)).status).toBe(403);
    expect((await http.act(sam, 'consent', layla.participantId)).status).toBe(200);
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    expect((await http.act(sam, 'consent', dad.participantId)).status).toBe(200);

    const leeIn = await t.enter(lee);
    const laylaIn = await t.enter(layla);
    const dadIn = await t.enter(dad);
    const rosterEntry = laylaIn.snapshot.me;
    expect(rosterEntry).toMatchObject({ role: 'interpreter', language: 'ar' });
    const others = leeIn.snapshot.participants;
    const seen = others.find((p) => p.participantId === layla.participantId);
    expect(seen).toMatchObject({ role: 'interpreter', language: 'ar' });
    expect(others.find((p) => p.participantId === dad.participantId)?.language).toBe(null);

    await laylaIn.media.publishMicrophone();
    await dadIn.media.publishMicrophone();
    const roomOf = () => t.app.livekit.listParticipants(m.meetingId);
    await eventually(async () => {
      const room = await roomOf();
      return hasMic(find(room, layla.participantId)) && hasMic(find(room, dad.participantId));
    });

    // The interpreter cannot start a reflection; the facilitator can.
    expect((await http.mode(layla, 'reflecting')).status).toBe(403);
    expect((await http.mode(lee, 'reflecting')).status).toBe(200);
    await eventually(async () => !hasMic(find(await roomOf(), dad.participantId)));
    const reflecting = await roomOf();
    expect(hasMic(find(reflecting, layla.participantId))).toBe(true);
    const granted = find(reflecting, layla.participantId)?.permission;
    expect(granted).toMatchObject({ canSubscribe: true, canPublish: true });
    expect([...(granted?.canPublishSources ?? [])].sort()).toEqual(['camera', 'microphone']);
    expect(find(reflecting, dad.participantId)?.permission).toMatchObject({
      canPublishSources: ['camera'],
    });
  });
});
