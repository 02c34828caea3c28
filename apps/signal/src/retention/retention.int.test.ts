import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type {
  CreateMeetingResponse,
  EnterMeetingResponse,
  MeetingDetail,
  NetworkDetail,
  NetworkMember,
  RecordResponse,
} from '@polyphony/protocol';
import type { StaffClient } from '../testing/staff-client.ts';
import { NO_LIVEKIT, TEST_PASSWORD, addStaff, setUp } from '../testing/staff-fixture.ts';
import { startTestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
/** Test config: 30 days of retention, links valid 14 days. */
const PURGE_AT = T0 + 40 * DAY;

interface Rows {
  readonly meeting: number;
  readonly events: number;
  readonly participants: number;
  readonly invites: number;
}

describe.each(testDatabaseTargets())('retention purge on $name', (target) => {
  let clock = T0;
  const t = useTestApp(target, { now: () => clock, signInLimits: { perIp: 1000, perEmail: 1000 } });
  let lee: { client: StaffClient; id: string; email: string };
  let kim: { client: StaffClient; id: string; email: string };
  let network: NetworkDetail;
  /** Held and ended at T0: due at PURGE_AT. */
  let ended: string;
  /** Held and ended 20 days later: not due yet. */
  let recent: string;
  /** Opened at T0, never ended, quiet since: abandoned, due. */
  let abandoned: string;
  /** Scheduled for T0 + 2 h, never opened: due, and deleted. */
  let neverHeld: string;
  /** Opened an hour before the purge and still running. */
  let ongoing: string;
  let samLinkToEnded: string;

  const rowsOf = async (meetingId: string): Promise<Rows> =>
    (
      await rawQuery<Rows>(
        t.db.database,
        `select (select count(*)::int from meetings where id = $1) as meeting,
                (select count(*)::int from meeting_events where meeting_id = $1) as events,
                (select count(*)::int from participants where meeting_id = $1) as participants,
                (select count(*)::int from invites where meeting_id = $1) as invites`,
        [meetingId],
      )
    )[0]!;
  const meetingRow = async (meetingId: string) =>
    (
      await rawQuery<{ state: string; purged_at: Date | null; core_team_attendees: number | null }>(
        t.db.database,
        'select state, purged_at, core_team_attendees from meetings where id = $1',
        [meetingId],
      )
    )[0];
  const figures = async () => {
    const res = await lee.client.call<NetworkDetail>('GET', `/api/networks/${network.id}`);
    expect(res.status).toBe(200);
    return res.body.figures;
  };

  /** Moves the clock; sessions last 12 h, so the core team signs in again. */
  async function setClock(at: number): Promise<void> {
    clock = at;
    for (const who of [lee, kim]) {
      expect((await who.client.signIn(who.email, TEST_PASSWORD)).status).toBe(200);
    }
  }

  async function createMeeting(body: object): Promise<CreateMeetingResponse> {
    const res = await lee.client.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.id}/meetings`,
      body,
    );
    expect(res.status).toBe(201);
    return res.body;
  }

  async function enter(who: StaffClient, meetingId: string): Promise<string> {
    const res = await who.call<EnterMeetingResponse>(
      'POST',
      `/api/meetings/${meetingId}/participants/me`,
      {},
    );
    expect(res.status, res.text).toBe(200);
    return res.body.participantId;
  }

  /** A held meeting through the real API: both core-team members, Sam and Dad with companions. */
  async function holdMeeting(companion: string, decision: string): Promise<CreateMeetingResponse> {
    const created = await createMeeting({ kind: 'immediate', inviteEveryone: true });
    const meetingId = created.meeting.meeting.id;
    await enter(lee.client, meetingId);
    await enter(kim.client, meetingId);
    const linkOf = (name: string) => created.links.find((l) => l.invite.name === name)!;
    const knock = (name: string) =>
      t.join({ token: linkOf(name).token, participantId: '', role: 'network', name }, [companion]);
    const act = (action: string, pid: string) =>
      lee.client.call('POST', `/api/meetings/${meetingId}/participants/${pid}/${action}`);
    const sam = await knock('Sam Centre');
    expect((await act('admit', sam.participantId)).status).toBe(200);
    const dad = await knock('Dad Network');
    expect((await act('admit', dad.participantId)).status).toBe(200);
    expect((await t.http.act(sam, 'consent', dad.participantId)).status).toBe(200);
    const recorded = await lee.client.call('POST', `/api/meetings/${meetingId}/record`, {
      entryId: randomUUID(),
      kind: 'decision',
      text: decision,
    });
    expect(recorded.status, recorded.text).toBe(200);
    return created;
  }

  const end = async (meetingId: string) =>
    expect((await lee.client.call('POST', `/api/meetings/${meetingId}/end`)).status).toBe(200);

  beforeAll(async () => {
    const { admin } = await setUp(t.app);
    const a = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    const b = await addStaff(t.app, admin, 'peer_worker', 'Kim Peer');
    lee = { client: a.client, id: a.member.id, email: a.email };
    kim = { client: b.client, id: b.member.id, email: b.email };
    network = (
      await lee.client.call<NetworkDetail>('POST', '/api/networks', {
        label: 'Retention family',
        firstContactAt: new Date(T0 - 5 * HOUR).toISOString(),
        coreTeamStaffIds: [lee.id, kim.id],
      })
    ).body;
    for (const [name, isCentre] of [
      ['Sam Centre', true],
      ['Dad Network', false],
    ] as const) {
      const res = await lee.client.call<NetworkMember>(
        'POST',
        `/api/networks/${network.id}/members`,
        { name, relationship: '', isCentre },
      );
      expect(res.status).toBe(201);
    }

    const first = await holdMeeting('Grandad Purgeable', 'Purgeable decision about the GP');
    ended = first.meeting.meeting.id;
    samLinkToEnded = first.links.find((l) => l.invite.name === 'Sam Centre')!.token;
    await end(ended);
    abandoned = (await createMeeting({ kind: 'immediate' })).meeting.meeting.id;
    await enter(lee.client, abandoned);
    neverHeld = (
      await createMeeting({
        kind: 'scheduled',
        scheduledAt: new Date(T0 + 2 * HOUR).toISOString(),
        inviteEveryone: true,
      })
    ).meeting.meeting.id;

    await setClock(T0 + 20 * DAY);
    recent = (await holdMeeting('Auntie Keepable', 'Keepable decision')).meeting.meeting.id;
    await end(recent);

    await setClock(PURGE_AT - HOUR);
    ongoing = (await createMeeting({ kind: 'immediate' })).meeting.meeting.id;
    await enter(lee.client, ongoing);
    await enter(kim.client, ongoing);
    await setClock(PURGE_AT);
  }, DATABASE_OPEN_TIMEOUT_MS);

  it('purges what is due, keeps what is not, and the dashboard shows the same figures', async () => {
    const before = await figures();
    expect(before).toMatchObject({ meetingsHeld: 4, meetingsWithTwoCoreTeam: 3 });
    const keptBefore = { recent: await rowsOf(recent), ongoing: await rowsOf(ongoing) };
    expect(await rowsOf(ended)).toEqual({ meeting: 1, events: 18, participants: 4, invites: 4 });
    expect(keptBefore.recent).toEqual({ meeting: 1, events: 18, participants: 4, invites: 4 });
    expect(keptBefore.ongoing).toEqual({ meeting: 1, events: 7, participants: 2, invites: 0 });
    expect((await rowsOf(neverHeld)).invites).toBe(4);

    const report = await t.app.retention.purgeNow();

    expect(report).toMatchObject({ meetingsPurged: 2, meetingsDeleted: 1, meetingsFailed: 0 });
    for (const id of [ended, abandoned]) {
      expect(await rowsOf(id)).toEqual({ meeting: 1, events: 0, participants: 0, invites: 0 });
    }
    expect(await meetingRow(ended)).toMatchObject({ state: 'ended', core_team_attendees: 2 });
    expect(await meetingRow(abandoned)).toMatchObject({ state: 'ended', core_team_attendees: 1 });
    expect(await rowsOf(neverHeld)).toEqual({
      meeting: 0,
      events: 0,
      participants: 0,
      invites: 0,
    });
    expect(await rowsOf(recent)).toEqual(keptBefore.recent);
    expect(await rowsOf(ongoing)).toEqual(keptBefore.ongoing);
    expect((await meetingRow(ongoing))!.state).toBe('live');
    expect(await figures()).toEqual(before);

    // Nothing of what was said or who was there is left anywhere for the purged meeting.
    const leftovers = await rawQuery<{ n: number }>(
      t.db.database,
      `select (select count(*)::int from participants where companions::text like '%Grandad%')
            + (select count(*)::int from meeting_events where payload::text like '%Purgeable%')
          as n`,
    );
    expect(leftovers[0]!.n).toBe(0);
    // The network's members belong to the open care episode and stay.
    expect(
      (
        await rawQuery<{ n: number }>(
          t.db.database,
          'select count(*)::int as n from network_members where network_id = $1',
          [network.id],
        )
      )[0]!.n,
    ).toBe(2);
  });

  it('is idempotent: the next run finds nothing more', async () => {
    const before = await rowsOf(recent);
    expect(await t.app.retention.purgeNow()).toMatchObject({
      meetingsPurged: 0,
      meetingsDeleted: 0,
    });
    expect(await rowsOf(recent)).toEqual(before);
  });

  it('staff see when a meeting was purged, and a meeting not purged says so too', async () => {
    const purged = await lee.client.call<MeetingDetail>('GET', `/api/meetings/${ended}`);
    expect(purged.status).toBe(200);
    expect(purged.body.meeting.purgedAt).toBe(new Date(PURGE_AT).toISOString());
    expect(purged.body.invites).toEqual([]);
    const kept = await lee.client.call<MeetingDetail>('GET', `/api/meetings/${recent}`);
    expect(kept.body.meeting.purgedAt).toBeNull();
  });

  it('a purged meeting cannot be reopened, and its link and record show nothing', async () => {
    const res = await lee.client.call('POST', `/api/meetings/${ended}/participants/me`, {});
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'MEETING_ENDED' } } });
    expect(await rowsOf(ended)).toEqual({ meeting: 1, events: 0, participants: 0, invites: 0 });
    const link = await t.http.call('GET', `/api/invites/${samLinkToEnded}`);
    expect(link).toMatchObject({ status: 404, body: { error: { code: 'LINK_INVALID' } } });
    const record = await lee.client.call<RecordResponse>('GET', `/api/meetings/${ended}/record`);
    expect(record.status).toBe(200);
    expect(record.body.entries).toEqual([]);
    expect(record.text).not.toContain('Purgeable');
  });

  it('the recent meeting goes once its own retention has passed; the ongoing one stays', async () => {
    await setClock(T0 + 20 * DAY + HOUR + 30 * DAY);
    const ongoingRows = await rowsOf(ongoing);
    expect(await t.app.retention.purgeNow()).toMatchObject({ meetingsPurged: 1 });
    expect(await rowsOf(recent)).toEqual({ meeting: 1, events: 0, participants: 0, invites: 0 });
    expect(await rowsOf(ongoing)).toEqual(ongoingRows);
    await setClock(PURGE_AT);
  });

  it('logs counts and duration only, and counts purged meetings on /metrics', async () => {
    const lines = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['msg'] === 'retention purge');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(
        [
          'durationMs',
          'episodesPurged',
          'level',
          'meetingsDeleted',
          'meetingsFailed',
          'meetingsPurged',
          'msg',
          'service',
          'setupLinks',
          'staffSessions',
          'time',
          'webhookIds',
        ].sort(),
      );
    }
    const logs = t.logs.join('\n');
    for (const secret of ['Grandad', 'Auntie', 'Purgeable', 'Keepable', samLinkToEnded]) {
      expect(logs).not.toContain(secret);
    }
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('retention_purged_meetings_total{outcome="purged"} 3');
    expect(metrics.body).toContain('retention_purged_meetings_total{outcome="deleted"} 1');
    expect(metrics.body).toMatch(/retention_purge_runs_total\{result="ok"\} [3-9]/);
  });

  it('runs on its own timer and stops with the app (close does not hang)', async () => {
    const other = await startTestApp(t.db.database, NO_LIVEKIT, {
      now: () => clock,
      config: { purgeIntervalMs: 40 },
    });
    try {
      await expect
        .poll(async () => {
          const res = await other.app.inject({ method: 'GET', url: '/metrics' });
          return /retention_purge_runs_total\{result="ok"\} [1-9]/.test(res.body);
        })
        .toBe(true);
    } finally {
      const started = Date.now();
      await other.close();
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
