import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type {
  BulkInvitesResponse,
  CreateMeetingResponse,
  CreatedInvite,
  Invite,
  MeetingDetail,
  MeetingListResponse,
  NetworkDetail,
  NetworkMember,
} from '@polyphony/protocol';
import { StaffClient } from '../../testing/staff-client.ts';
import { TEST_PASSWORD, addStaff, setUp } from '../../testing/staff-fixture.ts';
import { TEST_ORIGIN } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const T0 = Date.UTC(2026, 4, 4, 7, 0, 0);
const DAY = 86_400_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each(testDatabaseTargets())('meetings and links on $name', (target) => {
  const clock = T0;
  const t = useTestApp(target, { now: () => clock, signInLimits: { perIp: 1000, perEmail: 1000 } });
  let lee: { client: StaffClient; id: string };
  let kim: { client: StaffClient; id: string };
  let out: { client: StaffClient; id: string };
  let otherOrg: StaffClient;
  let network: NetworkDetail;
  let sam: NetworkMember;
  let dad: NetworkMember;

  const count = async (sql: string, params: unknown[] = []) =>
    (await rawQuery<{ n: number }>(t.db.database, sql, params))[0]!.n;

  beforeAll(async () => {
    const { admin } = await setUp(t.app);
    const a = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    const b = await addStaff(t.app, admin, 'peer_worker', 'Kim Peer');
    const c = await addStaff(t.app, admin, 'clinician', 'Dr Out');
    lee = { client: a.client, id: a.member.id };
    kim = { client: b.client, id: b.member.id };
    out = { client: c.client, id: c.member.id };
    const [org] = await rawQuery<{ id: string }>(
      t.db.database,
      `insert into organisations (name) values ('Elsewhere') returning id`,
    );
    const { hashPassword } = await import('../../auth/passwords.ts');
    const email = `other.meetings.${Date.now()}@example.org`;
    await rawQuery(
      t.db.database,
      `insert into staff (organisation_id, email, display_name, role, password_hash)
       values ($1, $2, 'Dr Other', 'clinician', $3)`,
      [org!.id, email, await hashPassword(TEST_PASSWORD)],
    );
    otherOrg = new StaffClient(t.app);
    await otherOrg.signIn(email, TEST_PASSWORD);

    network = (
      await lee.client.call<NetworkDetail>('POST', '/api/networks', {
        label: 'Network A',
        firstContactAt: new Date(T0 - 2 * 3_600_000).toISOString(),
        coreTeamStaffIds: [lee.id, kim.id],
      })
    ).body;
    const base = `/api/networks/${network.id}/members`;
    sam = (
      await lee.client.call<NetworkMember>('POST', base, {
        name: 'Sam Centre',
        relationship: '',
        isCentre: true,
      })
    ).body;
    dad = (
      await lee.client.call<NetworkMember>('POST', base, {
        name: 'Dad Network',
        relationship: 'father',
        isCentre: false,
      })
    ).body;
  }, DATABASE_OPEN_TIMEOUT_MS);
  const createMeeting = (body: unknown, client = lee.client) =>
    client.call<CreateMeetingResponse>('POST', `/api/networks/${network.id}/meetings`, body);

  it('creates an immediate meeting with links for everyone in one call', async () => {
    const res = await createMeeting({ kind: 'immediate', inviteEveryone: true });
    expect(res.status).toBe(201);
    const { meeting, links } = res.body;
    expect(meeting.meeting).toMatchObject({
      kind: 'immediate',
      state: 'live',
      mode: 'dialogue',
      networkLabel: 'Network A',
      scheduledAt: null,
      startedAt: new Date(T0).toISOString(),
    });
    expect(links.map((l) => [l.invite.name, l.invite.role])).toEqual([
      ['Sam Centre', 'centre'],
      ['Dad Network', 'network'],
      ['Dr Lee', 'facilitator'],
      ['Kim Peer', 'team'],
    ]);
    for (const link of links) {
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(link.url).toBe(`${TEST_ORIGIN}/join/${link.token}`);
      expect(link.invite.expiresAt).toBe(new Date(T0 + 14 * DAY).toISOString());
    }
    const stored = await rawQuery<{ token_hash: string }>(
      t.db.database,
      'select token_hash from invites where meeting_id = $1 order by created_at, id',
      [meeting.meeting.id],
    );
    expect(stored.map((r) => r.token_hash).sort()).toEqual(
      links.map((l) => sha256(l.token)).sort(),
    );
    const dump = JSON.stringify(
      await rawQuery(t.db.database, 'select * from invites where meeting_id = $1', [
        meeting.meeting.id,
      ]),
    );
    for (const link of links) expect(dump).not.toContain(link.token);

    const events = await rawQuery<{ seq: number; type: string; actor_staff_id: string }>(
      t.db.database,
      'select seq, type, actor_staff_id from meeting_events where meeting_id = $1 order by seq',
      [meeting.meeting.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'meeting.started',
      'participant.invited',
      'participant.invited',
      'participant.invited',
      'participant.invited',
    ]);
    expect(events.every((e) => e.actor_staff_id === lee.id)).toBe(true);
    expect(meeting.participants).toMatchObject({
      byState: { invited: 4, admitted: 0 },
      reflectingTeamAdmitted: 0,
      fewerThanTwoTeam: true,
    });
  });

  it('reads a meeting with its links (never the tokens) and lists live meetings', async () => {
    const created = (await createMeeting({ kind: 'immediate' })).body;
    const id = created.meeting.meeting.id;
    expect(created.links).toEqual([]);
    const res = await kim.client.call<MeetingDetail>('GET', `/api/meetings/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.invites).toEqual([]);
    const live = await out.client.call<MeetingListResponse>('GET', '/api/meetings?state=live');
    expect(live.body.meetings.map((m) => m.id)).toContain(id);
    expect((await out.client.call('GET', '/api/meetings?state=sometime')).body).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('makes single links with derived or chosen roles, one usable link per person', async () => {
    const id = (await createMeeting({ kind: 'immediate' })).body.meeting.meeting.id;
    const invite = (body: unknown, client = lee.client) =>
      client.call<CreatedInvite>('POST', `/api/meetings/${id}/invites`, body);
    expect((await invite({ memberId: dad.id })).body.invite).toMatchObject({
      name: 'Dad Network',
      role: 'network',
      memberId: dad.id,
      staffId: null,
      used: false,
      revokedAt: null,
    });
    expect((await invite({ staffId: out.id })).body.invite.role).toBe('observer');
    expect((await invite({ staffId: kim.id, role: 'cofacilitator' })).body.invite.role).toBe(
      'cofacilitator',
    );
    const before = await count('select count(*)::int as n from invites');
    const refused = [
      [await invite({ memberId: dad.id }), 409, 'ALREADY_INVITED'],
      [await invite({ memberId: sam.id, role: 'network' }), 400, 'ROLE_NOT_ALLOWED'],
      [await invite({ memberId: sam.id, staffId: lee.id }), 400, 'VALIDATION_FAILED'],
      [await invite({}), 400, 'VALIDATION_FAILED'],
      [await invite({ memberId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED'],
      [await invite({ memberId: crypto.randomUUID() }), 404, 'NOT_FOUND'],
      [await invite({ memberId: sam.id }, out.client), 403, 'FORBIDDEN'],
      [await invite({ memberId: sam.id }, otherOrg), 404, 'NOT_FOUND'],
      [
        await lee.client.call(
          'POST',
          `/api/meetings/${id}/invites`,
          { memberId: sam.id },
          { csrf: null },
        ),
        403,
        'CSRF_FAILED',
      ],
    ] as const;
    for (const [res, status, code] of refused) {
      expect([res.status, (res.body as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
    expect(await count('select count(*)::int as n from invites')).toBe(before);
  });

  it('revokes a link idempotently, logs it, and allows a fresh one', async () => {
    const id = (await createMeeting({ kind: 'immediate' })).body.meeting.meeting.id;
    const link = (
      await lee.client.call<CreatedInvite>('POST', `/api/meetings/${id}/invites`, {
        memberId: dad.id,
      })
    ).body;
    const url = `/api/meetings/${id}/invites/${link.invite.id}`;
    expect((await out.client.call('DELETE', url)).status).toBe(403);
    const first = await lee.client.call<Invite>('DELETE', url);
    expect(first.status).toBe(200);
    expect(first.body.revokedAt).toBe(new Date(T0).toISOString());
    const again = await kim.client.call<Invite>('DELETE', url);
    expect(again.body).toEqual(first.body);
    const types = await rawQuery<{ type: string }>(
      t.db.database,
      'select type from meeting_events where meeting_id = $1 order by seq',
      [id],
    );
    expect(types.map((e) => e.type)).toEqual([
      'meeting.started',
      'participant.invited',
      'link.revoked',
    ]);
    const detail = await lee.client.call<MeetingDetail>('GET', `/api/meetings/${id}`);
    expect(detail.body.invites[0]!.revokedAt).not.toBeNull();
    const fresh = await lee.client.call('POST', `/api/meetings/${id}/invites`, {
      memberId: dad.id,
    });
    expect(fresh.status).toBe(201);
    expect((await otherOrg.call('DELETE', url)).status).toBe(404);
    expect(
      (await lee.client.call('DELETE', `/api/meetings/${id}/invites/${crypto.randomUUID()}`))
        .status,
    ).toBe(404);
  });

  it('bulk-creates links only for people without a usable one', async () => {
    const id = (await createMeeting({ kind: 'immediate' })).body.meeting.meeting.id;
    await lee.client.call('POST', `/api/meetings/${id}/invites`, { memberId: dad.id });
    const bulk = await lee.client.call<BulkInvitesResponse>(
      'POST',
      `/api/meetings/${id}/invites/bulk`,
    );
    expect(bulk.status).toBe(201);
    expect(bulk.body.links.map((l) => l.invite.name)).toEqual(['Sam Centre', 'Dr Lee', 'Kim Peer']);
    const second = await lee.client.call<BulkInvitesResponse>(
      'POST',
      `/api/meetings/${id}/invites/bulk`,
    );
    expect(second.body.links).toEqual([]);
  });

  it('schedules meetings, lists them as upcoming and exports a calendar file', async () => {
    const before = await count('select count(*)::int as n from meetings');
    for (const body of [
      { kind: 'scheduled' },
      { kind: 'immediate', scheduledAt: new Date(T0).toISOString() },
      { kind: 'later' },
      { kind: 'scheduled', scheduledAt: 'tomorrow' },
    ]) {
      const res = await createMeeting(body);
      expect([res.status, (res.body as unknown as { error: { code: string } }).error.code]).toEqual(
        [400, 'VALIDATION_FAILED'],
      );
    }
    expect((await createMeeting({ kind: 'immediate' }, out.client)).status).toBe(403);
    expect(await count('select count(*)::int as n from meetings')).toBe(before);

    const at = T0 + 3 * DAY;
    const res = await createMeeting({ kind: 'scheduled', scheduledAt: new Date(at).toISOString() });
    expect(res.status).toBe(201);
    const meeting = res.body.meeting.meeting;
    expect(meeting).toMatchObject({ kind: 'scheduled', state: 'scheduled', startedAt: null });
    const link = await lee.client.call<CreatedInvite>(
      'POST',
      `/api/meetings/${meeting.id}/invites`,
      { memberId: sam.id },
    );
    expect(link.body.invite.expiresAt).toBe(new Date(at + 14 * DAY).toISOString());
    const upcoming = await kim.client.call<MeetingListResponse>(
      'GET',
      '/api/meetings?state=upcoming',
    );
    expect(upcoming.body.meetings.map((m) => m.id)).toEqual([meeting.id]);
    expect(
      (await otherOrg.call<MeetingListResponse>('GET', '/api/meetings?state=upcoming')).body
        .meetings,
    ).toEqual([]);

    const ics = await kim.client.call('GET', `/api/meetings/${meeting.id}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.text).toContain(`UID:${meeting.id}@127.0.0.1:3999\r\n`);
    expect(ics.text).toContain('DTSTART:20260507T070000Z\r\nDTEND:20260507T080000Z\r\n');
    expect(ics.text).toContain('SUMMARY:Network meeting\r\n');
    expect(ics.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const name of ['Sam', 'Dad', 'Lee', 'Kim', 'Network A'])
      expect(ics.text).not.toContain(name);
    const immediate = (await createMeeting({ kind: 'immediate' })).body.meeting.meeting.id;
    expect((await lee.client.call('GET', `/api/meetings/${immediate}/calendar.ics`)).status).toBe(
      404,
    );
    expect((await otherOrg.call('GET', `/api/meetings/${meeting.id}/calendar.ics`)).status).toBe(
      404,
    );
  });

  it("hides another organisation's meetings and refuses links for ended meetings", async () => {
    const id = (await createMeeting({ kind: 'immediate' })).body.meeting.meeting.id;
    expect((await otherOrg.call('GET', `/api/meetings/${id}`)).status).toBe(404);
    expect((await otherOrg.call('GET', `/api/meetings/${crypto.randomUUID()}`)).status).toBe(404);
    await rawQuery(
      t.db.database,
      `update meetings set state = 'ended', ended_at = now() where id = $1`,
      [id],
    );
    await rawQuery(
      t.db.database,
      `insert into meeting_events (meeting_id, seq, type, payload)
       select id, last_seq + 1, 'meeting.ended', '{"by":"x"}' from meetings where id = $1`,
      [id],
    );
    await rawQuery(t.db.database, 'update meetings set last_seq = last_seq + 1 where id = $1', [
      id,
    ]);
    const res = await lee.client.call('POST', `/api/meetings/${id}/invites`, { memberId: dad.id });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'MEETING_ENDED' } } });
    const bulk = await lee.client.call('POST', `/api/meetings/${id}/invites/bulk`);
    expect(bulk.status).toBe(409);
  });
});
