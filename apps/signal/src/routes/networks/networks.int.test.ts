import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  rawQuery,
  testDatabaseTargets,
  type TestDatabase,
} from '@polyphony/db/testing';
import type {
  CreateMeetingResponse,
  CreatedInvite,
  NetworkDetail,
  NetworkListResponse,
  NetworkMember,
} from '@polyphony/protocol';
import type { StaffClient } from '../../testing/staff-client.ts';
import { TEST_PASSWORD, addStaff, setUp } from '../../testing/staff-fixture.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

const count = async (db: TestDatabase, sql: string, params: unknown[] = []) =>
  (await rawQuery<{ n: number }>(db.database, sql, params))[0]!.n;

describe.each(testDatabaseTargets())('networks and members on $name', (target) => {
  let clock = T0;
  const t = useTestApp(target, { now: () => clock, signInLimits: { perIp: 1000, perEmail: 1000 } });
  let admin: StaffClient;
  let lee: { client: StaffClient; id: string; email: string };
  let kim: { client: StaffClient; id: string; email: string };
  let outsider: StaffClient;
  let otherOrgClinician: StaffClient;

  beforeAll(async () => {
    ({ admin } = await setUp(t.app));
    const a = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    const b = await addStaff(t.app, admin, 'peer_worker', 'Kim Peer');
    lee = { client: a.client, id: a.member.id, email: a.email };
    kim = { client: b.client, id: b.member.id, email: b.email };
    outsider = (await addStaff(t.app, admin, 'clinician', 'Dr Out')).client;
    // A second organisation, made directly (setup runs once per database).
    const [org] = await rawQuery<{ id: string }>(
      t.db.database,
      `insert into organisations (name) values ('Elsewhere') returning id`,
    );
    const { hashPassword } = await import('../../auth/passwords.ts');
    const email = `other.${Date.now()}@example.org`;
    await rawQuery(
      t.db.database,
      `insert into staff (organisation_id, email, display_name, role, password_hash)
       values ($1, $2, 'Dr Other', 'clinician', $3)`,
      [org!.id, email, await hashPassword('another long password')],
    );
    const { StaffClient: Client } = await import('../../testing/staff-client.ts');
    otherOrgClinician = new Client(t.app);
    await otherOrgClinician.signIn(email, 'another long password');
  }, DATABASE_OPEN_TIMEOUT_MS);
  /** Moves the clock; sessions last 12 h, so the core team signs in again. */
  async function setClock(at: number): Promise<void> {
    clock = at;
    for (const who of [lee, kim]) {
      expect((await who.client.signIn(who.email, TEST_PASSWORD)).status).toBe(200);
    }
  }

  async function newNetwork(label: string, firstContactAt = T0): Promise<NetworkDetail> {
    if (clock - firstContactAt > 11 * HOUR) await setClock(firstContactAt);
    const res = await lee.client.call<NetworkDetail>('POST', '/api/networks', {
      label,
      firstContactAt: new Date(firstContactAt).toISOString(),
      coreTeamStaffIds: [lee.id, kim.id],
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('creates a network with its core team and reads it back', async () => {
    const network = await newNetwork('S. family');
    expect(network).toMatchObject({
      label: 'S. family',
      firstContactAt: new Date(T0).toISOString(),
      members: [],
      meetings: [],
      figures: { immediateHelp: 'waiting', flagged: false, meetingsHeld: 0, continuity: null },
    });
    expect(network.coreTeam.map((c) => c.displayName)).toEqual(['Dr Lee', 'Kim Peer']);
    const read = await outsider.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(network.id);
  });

  it('refuses malformed networks and unknown core-team staff, writing nothing', async () => {
    const before = await count(t.db, 'select count(*)::int as n from networks');
    const other = await rawQuery<{ id: string }>(
      t.db.database,
      `select s.id from staff s join organisations o on o.id = s.organisation_id where o.name = 'Elsewhere'`,
    );
    for (const body of [
      { label: '', firstContactAt: new Date(T0).toISOString(), coreTeamStaffIds: [] },
      { label: 'X', firstContactAt: 'yesterday', coreTeamStaffIds: [] },
      { label: 'X', firstContactAt: new Date(T0).toISOString(), coreTeamStaffIds: ['nope'] },
      { label: 'X', firstContactAt: new Date(T0).toISOString(), coreTeamStaffIds: [other[0]!.id] },
      { label: 'X', firstContactAt: new Date(T0).toISOString() },
    ]) {
      const res = await lee.client.call('POST', '/api/networks', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await count(t.db, 'select count(*)::int as n from networks')).toBe(before);
  });

  it("hides another organisation's networks (404) and lists only its own", async () => {
    const network = await newNetwork('Hidden');
    const res = await otherOrgClinician.call('GET', `/api/networks/${network.id}`);
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const add = await otherOrgClinician.call('POST', `/api/networks/${network.id}/members`, {
      name: 'Mallory',
      relationship: 'x',
      isCentre: false,
    });
    expect(add.status).toBe(404);
    const list = await otherOrgClinician.call<NetworkListResponse>('GET', '/api/networks');
    expect(list.body.networks).toEqual([]);
    const mine = await lee.client.call<NetworkListResponse>('GET', '/api/networks');
    expect(mine.body.networks.map((n) => n.label)).toContain('Hidden');
  });

  it('adds, changes, pre-approves and removes members; one centre person', async () => {
    const network = await newNetwork('M. family');
    const base = `/api/networks/${network.id}/members`;
    const sam = await lee.client.call<NetworkMember>('POST', base, {
      name: 'Sam',
      relationship: '',
      isCentre: true,
    });
    expect(sam).toMatchObject({ status: 201, body: { name: 'Sam', isCentre: true } });
    const dad = await kim.client.call<NetworkMember>('POST', base, {
      name: 'Dad',
      relationship: 'father',
      isCentre: false,
    });
    expect(dad.status).toBe(201);
    const second = await lee.client.call('POST', base, {
      name: 'Alex',
      relationship: 'friend',
      isCentre: true,
    });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'CENTRE_ALREADY_SET' } } });
    const promote = await lee.client.call('PATCH', `${base}/${dad.body.id}`, { isCentre: true });
    expect(promote).toMatchObject({ status: 409, body: { error: { code: 'CENTRE_ALREADY_SET' } } });

    clock = T0 + HOUR;
    const approved = await lee.client.call<NetworkMember>('PATCH', `${base}/${dad.body.id}`, {
      preApproved: true,
      relationship: 'stepfather',
    });
    expect(approved.body).toMatchObject({
      relationship: 'stepfather',
      preApprovedAt: new Date(T0 + HOUR).toISOString(),
      preApprovedBy: lee.id,
    });
    const cleared = await lee.client.call<NetworkMember>('PATCH', `${base}/${dad.body.id}`, {
      preApproved: false,
    });
    expect(cleared.body).toMatchObject({ preApprovedAt: null, preApprovedBy: null });
    const centreApproval = await lee.client.call('PATCH', `${base}/${sam.body.id}`, {
      preApproved: true,
    });
    expect(centreApproval.status).toBe(400);

    expect((await lee.client.call('PATCH', `${base}/${dad.body.id}`, {})).status).toBe(400);
    expect(
      (await lee.client.call('PATCH', `${base}/${dad.body.id}`, { isCentre: 'yes please' })).status,
    ).toBe(400);
    const bad = await lee.client.call('POST', base, { name: 'No relationship' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(
      await count(t.db, 'select count(*)::int as n from network_members where network_id = $1', [
        network.id,
      ]),
    ).toBe(2);

    const outsiderAdd = await outsider.call('POST', base, {
      name: 'X',
      relationship: '',
      isCentre: false,
    });
    expect(outsiderAdd).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    expect((await lee.client.call('DELETE', `${base}/${dad.body.id}`)).status).toBe(204);
    expect((await lee.client.call('DELETE', `${base}/${dad.body.id}`)).status).toBe(404);
    const read = await lee.client.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(read.body.members.map((m) => m.name)).toEqual(['Sam']);
  });

  async function meetingAt(networkId: string, at: number): Promise<CreateMeetingResponse> {
    await setClock(at);
    const res = await lee.client.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${networkId}/meetings`,
      { kind: 'immediate' },
    );
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Core-team staff members join and are admitted (the join flow is another route's job). */
  async function attend(meetingId: string, staffIds: string[]): Promise<void> {
    for (const staffId of staffIds) {
      const res = await lee.client.call<CreatedInvite>(
        'POST',
        `/api/meetings/${meetingId}/invites`,
        {
          staffId,
        },
      );
      expect(res.status).toBe(201);
    }
    await rawQuery(
      t.db.database,
      `update participants set state = 'admitted', admission_number = 1, admitted_at = now()
       where meeting_id = $1 and staff_id = any($2::uuid[])`,
      [meetingId, staffIds],
    );
  }

  it('figures: first meeting 23 h after first contact is within the goal', async () => {
    const network = await newNetwork('Within', T0);
    const first = await meetingAt(network.id, T0 + 23 * HOUR);
    await attend(first.meeting.meeting.id, [lee.id]);
    // An immediate meeting nobody from the team came to started, but was never held.
    await meetingAt(network.id, T0 + 22 * HOUR);
    await setClock(T0 + 48 * HOUR);
    const read = await lee.client.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(read.body.figures).toMatchObject({
      firstMeetingAt: new Date(T0 + 23 * HOUR).toISOString(),
      minutesToFirstMeeting: 23 * 60,
      immediateHelp: 'within_24h',
      flagged: false,
      meetingsHeld: 1,
    });
  });

  it('figures: first meeting 25 h after first contact is flagged; none after 25 h is overdue', async () => {
    const late = await newNetwork('Late', T0);
    const lateMeeting = await meetingAt(late.id, T0 + 25 * HOUR);
    await attend(lateMeeting.meeting.meeting.id, [lee.id]);
    const none = await newNetwork('None yet', T0);
    await setClock(T0 + 25 * HOUR);
    const list = await lee.client.call<NetworkListResponse>('GET', '/api/networks');
    const byLabel = new Map(list.body.networks.map((n) => [n.label, n]));
    expect(byLabel.get('Late')!.figures).toMatchObject({
      minutesToFirstMeeting: 25 * 60,
      immediateHelp: 'after_24h',
      flagged: true,
    });
    expect(byLabel.get(none.label)!.figures).toMatchObject({
      immediateHelp: 'overdue',
      flagged: true,
      firstMeetingAt: null,
    });
    await setClock(T0 + 23 * HOUR);
    const earlier = await lee.client.call<NetworkListResponse>('GET', '/api/networks');
    expect(earlier.body.networks.find((n) => n.label === 'None yet')!.figures).toMatchObject({
      immediateHelp: 'waiting',
      flagged: false,
    });
  });

  it('figures: continuity counts meetings with two core-team members admitted', async () => {
    const network = await newNetwork('Continuity', T0);
    const one = await meetingAt(network.id, T0 + HOUR);
    await attend(one.meeting.meeting.id, [lee.id]);
    let read = await lee.client.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(read.body.figures).toMatchObject({
      meetingsHeld: 1,
      meetingsWithTwoCoreTeam: 0,
      continuity: 0,
    });
    const two = await meetingAt(network.id, T0 + 30 * HOUR);
    await attend(two.meeting.meeting.id, [lee.id, kim.id]);
    read = await lee.client.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(read.body.figures).toMatchObject({
      meetingsHeld: 2,
      meetingsWithTwoCoreTeam: 1,
      continuity: 0.5,
    });
    expect(read.body.meetings).toHaveLength(2);
  });
});
