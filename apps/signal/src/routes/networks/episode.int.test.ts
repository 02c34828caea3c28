// A network over its care episode: created with its people and first meeting in one call (all
// or nothing), its core team changed later (earlier continuity figures stay), the centre
// person's link re-issued after a revocation, and the episode closed and purged on the
// retention schedule. On PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type {
  CreatedInvite,
  CreatedNetwork,
  CreateMeetingResponse,
  NetworkDetail,
  NetworkMember,
} from '@polyphony/protocol';
import { StaffClient } from '../../testing/staff-client.ts';
import { addStaff, setUp } from '../../testing/staff-fixture.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

describe.each(testDatabaseTargets())('network episodes on $name', (target) => {
  let clock = T0;
  const t = useTestApp(target, { now: () => clock });
  let admin: StaffClient;
  let adminId: string;
  let lee: { client: StaffClient; id: string };
  let kim: { client: StaffClient; id: string };

  const count = async (table: string) =>
    (await rawQuery<{ n: number }>(t.db.database, `select count(*)::int as n from ${table}`))[0]!.n;
  const TABLES = [
    'networks',
    'network_members',
    'core_team_members',
    'core_team_periods',
    'meetings',
    'invites',
    'meeting_events',
    'participants',
  ];
  const counts = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (n) => [n, await count(n)])));

  beforeAll(async () => {
    const done = await setUp(t.app, 'Episode team');
    admin = done.admin;
    adminId = done.me.staff.id;
    const a = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    const b = await addStaff(t.app, admin, 'peer_worker', 'Kim Peer');
    lee = { client: a.client, id: a.member.id };
    kim = { client: b.client, id: b.member.id };
  });

  const newNetwork = async (body: Record<string, unknown> = {}) =>
    admin.call<CreatedNetwork>('POST', '/api/networks', {
      label: 'Episode',
      firstContactAt: new Date(clock - 60 * MINUTE).toISOString(),
      coreTeamStaffIds: [adminId, lee.id],
      ...body,
    });

  const figures = async (networkId: string) =>
    (await admin.call<NetworkDetail>('GET', `/api/networks/${networkId}`)).body.figures;

  /** An immediate meeting where the given staff enter (core team go straight in). */
  async function heldMeeting(networkId: string, entering: StaffClient[]) {
    const made = await admin.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${networkId}/meetings`,
      { kind: 'immediate' },
    );
    const id = made.body.meeting.meeting.id;
    for (const who of entering) {
      const res = await who.call('POST', `/api/meetings/${id}/participants/me`, {});
      expect(res.status).toBeLessThan(300);
    }
    return id;
  }

  it('creates a network with its people and a live meeting with links for all, in one call', async () => {
    const res = await newNetwork({
      members: [
        { name: 'Sam', relationship: '', isCentre: true },
        { name: 'Robin', relationship: 'dad', isCentre: false },
      ],
      startMeeting: true,
    });
    expect(res.status).toBe(201);
    expect(res.body.members.map((m) => m.name)).toEqual(['Sam', 'Robin']);
    const started = res.body.startedMeeting!;
    expect(started.meeting.meeting.state).toBe('live');
    expect(started.links).toHaveLength(4);
    expect(res.body.meetings.map((m) => m.id)).toEqual([started.meeting.meeting.id]);
  });

  it('writes nothing when one member fails (a second centre person)', async () => {
    const before = await counts();
    const res = await newNetwork({
      members: [
        { name: 'First Centre', relationship: '', isCentre: true },
        { name: 'Robin', relationship: 'dad', isCentre: false },
        { name: 'Second Centre', relationship: '', isCentre: true },
      ],
      startMeeting: true,
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'CENTRE_ALREADY_SET' } } });
    expect(await counts()).toEqual(before);
  });

  it('a core-team edit leaves earlier meetings’ continuity unchanged', async () => {
    const network = (await newNetwork()).body;
    clock += MINUTE;
    await heldMeeting(network.id, [admin, lee.client]);
    expect(await figures(network.id)).toMatchObject({
      meetingsHeld: 1,
      meetingsWithTwoCoreTeam: 1,
      continuity: 1,
    });

    clock += 60 * MINUTE;
    const edited = await admin.call<NetworkDetail>(
      'PATCH',
      `/api/networks/${network.id}/core-team`,
      { staffIds: [adminId, kim.id] },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.coreTeam.map((c) => c.staffId).sort()).toEqual([adminId, kim.id].sort());
    expect(edited.body.figures).toMatchObject({ meetingsWithTwoCoreTeam: 1, continuity: 1 });

    // Dr Lee left the team: she can no longer walk in; the admin alone holds the next meeting.
    clock += MINUTE;
    await heldMeeting(network.id, [admin]);
    expect(await figures(network.id)).toMatchObject({
      meetingsHeld: 2,
      meetingsWithTwoCoreTeam: 1,
      continuity: 0.5,
    });
    clock += MINUTE;
    await heldMeeting(network.id, [admin, kim.client]);
    expect(await figures(network.id)).toMatchObject({
      meetingsHeld: 3,
      meetingsWithTwoCoreTeam: 2,
    });

    const empty = await admin.call('PATCH', `/api/networks/${network.id}/core-team`, {
      staffIds: [],
    });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const outsider = await lee.client.call('PATCH', `/api/networks/${network.id}/core-team`, {
      staffIds: [lee.id],
    });
    expect(outsider).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('re-issues the centre person’s link after a revocation', async () => {
    const network = (
      await newNetwork({ members: [{ name: 'Alex', relationship: '', isCentre: true }] })
    ).body;
    const centre = network.members[0]!;
    const meeting = await admin.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.id}/meetings`,
      { kind: 'scheduled', scheduledAt: new Date(clock + DAY).toISOString(), inviteEveryone: true },
    );
    const meetingId = meeting.body.meeting.meeting.id;
    const first = meeting.body.links.find((l) => l.invite.memberId === centre.id)!;
    const revoked = await admin.call(
      'DELETE',
      `/api/meetings/${meetingId}/invites/${first.invite.id}`,
    );
    expect(revoked.status).toBe(200);
    const again = await admin.call<CreatedInvite>('POST', `/api/meetings/${meetingId}/invites`, {
      memberId: centre.id,
    });
    expect(again.status).toBe(201);
    expect(again.body.invite.role).toBe('centre');
    const anon = new StaffClient(t.app);
    expect((await anon.call('GET', `/api/invites/${first.token}`)).status).toBe(404);
    expect((await anon.call('GET', `/api/invites/${again.body.token}`)).status).toBe(200);
  });

  it('closes the care episode; after retention its members go, and nothing else', async () => {
    const closing = (
      await newNetwork({
        label: 'Closing episode',
        members: [
          { name: 'Purgeable Centre', relationship: '', isCentre: true },
          { name: 'Purgeable Aunt', relationship: 'aunt', isCentre: false },
        ],
      })
    ).body;
    const staying = (
      await newNetwork({
        label: 'Open episode',
        members: [{ name: 'Keepable Person', relationship: '', isCentre: true }],
      })
    ).body;
    const meeting = await admin.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${closing.id}/meetings`,
      { kind: 'scheduled', scheduledAt: new Date(clock + DAY).toISOString(), inviteEveryone: true },
    );
    expect(meeting.body.links.length).toBeGreaterThan(0);

    const closed = await admin.call<NetworkDetail>('POST', `/api/networks/${closing.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).toBe(new Date(clock).toISOString());
    const refused = await admin.call<NetworkMember>('POST', `/api/networks/${closing.id}/members`, {
      name: 'Late',
      relationship: '',
      isCentre: false,
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'EPISODE_CLOSED' } } });
    const noMeeting = await admin.call('POST', `/api/networks/${closing.id}/meetings`, {
      kind: 'immediate',
    });
    expect(noMeeting).toMatchObject({ status: 409, body: { error: { code: 'EPISODE_CLOSED' } } });

    const membersOf = async (id: string) =>
      (
        await rawQuery<{ n: number }>(
          t.db.database,
          'select count(*)::int as n from network_members where network_id = $1',
          [id],
        )
      )[0]!.n;
    // 30 days of retention, but the members' links (scheduled a day on, 14 days) outlive it
    // only until day 15: at day 30 after closing the episode is due.
    const closedAt = clock;
    clock = closedAt + 30 * DAY - MINUTE;
    expect((await t.app.retention.purgeNow()).episodesPurged).toBe(0);
    expect(await membersOf(closing.id)).toBe(2);

    const before = await counts();
    const linksOf = async (networkId: string) =>
      (
        await rawQuery<{ n: number }>(
          t.db.database,
          `select count(*)::int as n from invites i join network_members m
             on m.id = i.network_member_id where m.network_id = $1`,
          [networkId],
        )
      )[0]!.n;
    const memberLinks = await linksOf(closing.id);
    const stayingLinks = await linksOf(staying.id);
    clock = closedAt + 30 * DAY;
    const report = await t.app.retention.purgeNow();
    expect(report.episodesPurged).toBe(1);
    expect(await membersOf(closing.id)).toBe(0);
    expect(await membersOf(staying.id)).toBe(1);
    const after = await counts();
    expect(memberLinks).toBeGreaterThan(0);
    expect(await linksOf(closing.id)).toBe(0);
    expect(await linksOf(staying.id)).toBe(stayingLinks);
    expect(after).toEqual({
      ...before,
      network_members: before['network_members'] - 2,
      // Meetings are purged on their own schedule, in the same run, and their links with them
      // (a meeting that ended by itself meanwhile is among them on a slow run): links are
      // checked per network above.
      ...pick(after, ['meetings', 'meeting_events', 'participants', 'invites']),
    });
    expect(after['invites']).toBeLessThanOrEqual(before['invites'] - memberLinks);
    const row = (
      await rawQuery<{ label: string; purged: boolean }>(
        t.db.database,
        'select label, members_purged_at is not null as purged from networks where id = $1',
        [closing.id],
      )
    )[0]!;
    expect(row).toEqual({ label: 'Closing episode', purged: true });
    expect((await t.app.retention.purgeNow()).episodesPurged).toBe(0);
    expect(t.logs.join('\n')).not.toContain('Purgeable');
  });
});

function pick(o: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}
