import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import type { MeetingEvent } from '@polyphony/domain';
import { appendEvents } from '../events.ts';
import { openDatabase } from '../open-database.ts';
import {
  coreTeamMembers,
  coreTeamPeriods,
  guestSessions,
  invites,
  meetings,
  networks,
  organisations,
  participants,
  processedWebhooks,
  staff,
  staffSessions,
} from '../schema/index.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  rawQuery,
  testDatabaseTargets,
  type TestDatabase,
} from '../testing/index.ts';
import type { Db } from '../types.ts';
import { attendeesOf, coreTeamAttendance, meetingsOf } from './networks.ts';
import {
  purgeExpiredStaffSessions,
  purgeMeeting,
  purgeProcessedWebhooks,
  retentionCandidates,
} from './retention.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const always = () => true;

describe.each(testDatabaseTargets())('retention purge on $name', (target) => {
  let t: TestDatabase;
  let db: Db;
  let networkId: string;
  let coreA: string;
  let coreB: string;
  let outsider: string;

  const personalRows = async (meetingId: string) => {
    const [row] = await rawQuery<{ events: number; people: number; links: number }>(
      t.database,
      `select (select count(*)::int from meeting_events where meeting_id = $1) as events,
              (select count(*)::int from participants where meeting_id = $1) as people,
              (select count(*)::int from invites where meeting_id = $1) as links`,
      [meetingId],
    );
    return row!;
  };
  const meetingRow = async (meetingId: string) =>
    (await db.select().from(meetings).where(eq(meetings.id, meetingId)))[0] ?? null;

  beforeAll(async () => {
    t = await target.open();
    db = t.database.db;
    const [org] = await db.insert(organisations).values({ name: 'Org' }).returning();
    const person = async (displayName: string) =>
      (
        await db
          .insert(staff)
          .values({
            organisationId: org!.id,
            email: `${randomUUID()}@example.org`,
            displayName,
            role: 'clinician',
            passwordHash: 'h',
          })
          .returning()
      )[0]!.id;
    [coreA, coreB, outsider] = [await person('A'), await person('B'), await person('C')];
    const [network] = await db
      .insert(networks)
      .values({ organisationId: org!.id, label: 'N', firstContactAt: new Date(T0 - DAY) })
      .returning();
    networkId = network!.id;
    await db.insert(coreTeamMembers).values([
      { networkId, staffId: coreA },
      { networkId, staffId: coreB },
    ]);
    await db.insert(coreTeamPeriods).values([
      { networkId, staffId: coreA, from: new Date(0) },
      { networkId, staffId: coreB, from: new Date(0) },
    ]);
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

  /**
   * A meeting with two core-team members and an outside professional admitted, a guest who
   * knocked with companions, links (one revoked) and a log whose actors are participants.
   */
  async function heldMeeting(options: { ended?: boolean } = {}): Promise<string> {
    const ended = options.ended ?? true;
    const [m] = await db
      .insert(meetings)
      .values({
        networkId,
        state: ended ? 'ended' : 'live',
        createdAt: new Date(T0),
        startedAt: new Date(T0),
        endedAt: ended ? new Date(T0 + HOUR) : null,
        createdBy: coreA,
      })
      .returning();
    const meetingId = m!.id;
    const link = async (staffId: string | null, revoked = false) =>
      (
        await db
          .insert(invites)
          .values({
            meetingId,
            staffId,
            networkMemberId: null,
            role: 'team',
            tokenHash: randomUUID(),
            expiresAt: new Date(T0 + 14 * DAY),
            revokedAt: revoked ? new Date(T0) : null,
          })
          .returning()
      )[0]!.id;
    const place = async (staffId: string | null, admissionNumber: number, inviteId: string) =>
      (
        await db
          .insert(participants)
          .values({
            meetingId,
            inviteId,
            staffId,
            role: staffId ? 'team' : 'network',
            displayName: staffId ? 'Staff' : 'Dad',
            companions: staffId ? [] : [{ name: 'Mum', agreed: true }],
            admissionNumber,
            state: admissionNumber > 0 ? 'admitted' : 'waiting',
          })
          .returning()
      )[0]!.id;
    const a = await place(coreA, 1, await link(coreA));
    await place(coreB, 2, await link(coreB));
    await place(outsider, 1, await link(outsider));
    const dad = await place(null, 0, await link(coreA, true));
    await db.insert(guestSessions).values({ participantId: dad, tokenHash: randomUUID() });
    const events: MeetingEvent[] = [
      { type: 'hand.raised', participantId: dad, at: T0 + 10 * 60_000 },
      { type: 'hand.raised', participantId: a, at: T0 + 20 * 60_000 },
    ];
    await db.transaction((tx) => appendEvents(tx, meetingId, events, { participantId: dad }));
    return meetingId;
  }

  async function neverHeldMeeting(): Promise<string> {
    const [m] = await db
      .insert(meetings)
      .values({ networkId, createdAt: new Date(T0), scheduledAt: new Date(T0 + DAY) })
      .returning();
    await db.insert(invites).values({
      meetingId: m!.id,
      staffId: coreA,
      role: 'team',
      tokenHash: randomUUID(),
      expiresAt: new Date(T0 + 15 * DAY),
    });
    await db.insert(participants).values({
      meetingId: m!.id,
      staffId: coreA,
      role: 'team',
      displayName: 'A',
      state: 'invited',
    });
    return m!.id;
  }

  it('reads the facts the rule needs: last event, latest usable link, only unpurged and old enough', async () => {
    const held = await heldMeeting();
    const later = (
      await db
        .insert(meetings)
        .values({ networkId, createdAt: new Date(T0 + 10 * DAY) })
        .returning()
    )[0]!.id;
    const found = await retentionCandidates(db, new Date(T0 + DAY));
    const ids = found.map((c) => c.meetingId);
    expect(ids).toContain(held);
    expect(ids).not.toContain(later);
    expect(found.find((c) => c.meetingId === held)!.facts).toEqual({
      status: 'ended',
      createdAt: T0,
      scheduledAt: null,
      startedAt: T0,
      endedAt: T0 + HOUR,
      lastActivityAt: T0 + 20 * 60_000,
      linksUsableUntil: T0 + 14 * DAY,
    });
    await db
      .update(invites)
      .set({ revokedAt: new Date(T0) })
      .where(eq(invites.meetingId, held));
    const [revoked] = (await retentionCandidates(db, new Date(T0 + DAY))).filter(
      (c) => c.meetingId === held,
    );
    expect(revoked!.facts.linksUsableUntil).toBeNull();
    await purgeMeeting(db, held, new Date(T0 + 40 * DAY), always);
    expect(
      (await retentionCandidates(db, new Date(T0 + DAY))).map((c) => c.meetingId),
    ).not.toContain(held);
  });

  it('purges a held meeting in one go and keeps the summary the dashboard needs', async () => {
    const id = await heldMeeting();
    const untouched = await heldMeeting();
    expect(await personalRows(id)).toEqual({ events: 2, people: 4, links: 4 });
    // what the dashboard reads: counted from participants, or frozen on a purged meeting's row
    const attendance = async () => {
      const counted = await coreTeamAttendance(db, [networkId]);
      const rows = await meetingsOf(db, [networkId]);
      return new Map(rows.map((m) => [m.id, attendeesOf(m, counted)]));
    };
    const before = await attendance();
    expect(before.get(id)).toBe(2);

    const at = new Date(T0 + 40 * DAY);
    expect(await purgeMeeting(db, id, at, always)).toBe('purged');

    expect(await personalRows(id)).toEqual({ events: 0, people: 0, links: 0 });
    expect(await meetingRow(id)).toMatchObject({
      state: 'ended',
      startedAt: new Date(T0),
      endedAt: new Date(T0 + HOUR),
      purgedAt: at,
      coreTeamAttendees: 2,
    });
    expect(await attendance()).toEqual(before);
    expect(await personalRows(untouched)).toEqual({ events: 2, people: 4, links: 4 });
  });

  it('is idempotent: a purged meeting is skipped and stays as it was', async () => {
    const id = await heldMeeting();
    const at = new Date(T0 + 40 * DAY);
    expect(await purgeMeeting(db, id, at, always)).toBe('purged');
    expect(await purgeMeeting(db, id, new Date(T0 + 50 * DAY), always)).toBe('skipped');
    expect(await meetingRow(id)).toMatchObject({ purgedAt: at, coreTeamAttendees: 2 });
  });

  it('asks the rule again under the lock and leaves a meeting that is no longer due', async () => {
    const id = await heldMeeting();
    let asked = 0;
    const outcome = await purgeMeeting(db, id, new Date(T0 + 40 * DAY), (facts) => {
      asked += 1;
      expect(facts.lastActivityAt).toBe(T0 + 20 * 60_000);
      return false;
    });
    expect([outcome, asked]).toEqual(['skipped', 1]);
    expect(await personalRows(id)).toEqual({ events: 2, people: 4, links: 4 });
    expect((await meetingRow(id))!.purgedAt).toBeNull();
  });

  it('closes a purged abandoned live meeting (state ended, end time unknown)', async () => {
    const id = await heldMeeting({ ended: false });
    expect(await purgeMeeting(db, id, new Date(T0 + 60 * DAY), always)).toBe('purged');
    expect(await meetingRow(id)).toMatchObject({
      state: 'ended',
      endedAt: null,
      startedAt: new Date(T0),
    });
    expect(await personalRows(id)).toEqual({ events: 0, people: 0, links: 0 });
  });

  it('deletes a meeting that was never held, with everything keyed to it', async () => {
    const id = await neverHeldMeeting();
    expect(await personalRows(id)).toEqual({ events: 0, people: 1, links: 1 });
    expect(await purgeMeeting(db, id, new Date(T0 + 60 * DAY), always)).toBe('deleted');
    expect(await meetingRow(id)).toBeNull();
    expect(await personalRows(id)).toEqual({ events: 0, people: 0, links: 0 });
    expect(await purgeMeeting(db, id, new Date(T0 + 60 * DAY), always)).toBe('skipped');
  });

  it('never leaves half a meeting: a failure rolls every deletion back', async () => {
    const id = await heldMeeting();
    await rawQuery(
      t.database,
      `create function refuse_purge() returns trigger as $$
       begin raise exception 'refused'; end; $$ language plpgsql`,
    );
    await rawQuery(
      t.database,
      `create trigger refuse_purge before update of purged_at on meetings
       for each row execute function refuse_purge()`,
    );
    try {
      await expect(purgeMeeting(db, id, new Date(T0 + 40 * DAY), always)).rejects.toThrow();
    } finally {
      await rawQuery(t.database, 'drop trigger refuse_purge on meetings');
      await rawQuery(t.database, 'drop function refuse_purge()');
    }
    expect(await personalRows(id)).toEqual({ events: 2, people: 4, links: 4 });
    expect((await meetingRow(id))!.purgedAt).toBeNull();
  });

  it.runIf(target.name === 'postgres')(
    'skips a meeting whose row another connection holds (another node, or a command)',
    async () => {
      const id = await heldMeeting();
      const other = postgres(t.url!, { max: 1, onnotice: () => {} });
      try {
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        let locked = () => {};
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        const holder = other.begin(async (sql) => {
          await sql`select id from meetings where id = ${id} for update`;
          locked();
          await held;
        });
        await isLocked;
        expect(await purgeMeeting(db, id, new Date(T0 + 40 * DAY), always)).toBe('skipped');
        release();
        await holder;
        expect(await personalRows(id)).toEqual({ events: 2, people: 4, links: 4 });
        expect(await purgeMeeting(db, id, new Date(T0 + 40 * DAY), always)).toBe('purged');
      } finally {
        await other.end({ timeout: 5 });
      }
    },
  );

  it('purges two nodes racing over the same meetings exactly once each', async () => {
    const ids = [await heldMeeting(), await heldMeeting(), await heldMeeting()];
    const at = new Date(T0 + 40 * DAY);
    // On PostgreSQL the second node has its own connections; PGlite has one connection only.
    const second =
      target.name === 'postgres'
        ? await openDatabase({ kind: 'postgres', url: t.url!, maxConnections: 2 })
        : t.database;
    try {
      const runs = await Promise.all(
        [t.database, second].map(async (node) => {
          const outcomes = [];
          for (const id of ids) outcomes.push(await purgeMeeting(node.db, id, at, always));
          return outcomes;
        }),
      );
      expect(runs.flat().filter((o) => o === 'purged').length).toBe(ids.length);
    } finally {
      if (second !== t.database) await second.close();
    }
    for (const id of ids) {
      expect(await personalRows(id)).toEqual({ events: 0, people: 0, links: 0 });
    }
  });

  it('deletes expired staff sessions and old webhook ids, and nothing else', async () => {
    const session = (expiresAt: number) => ({
      staffId: coreA,
      tokenHash: randomUUID(),
      csrfTokenHash: 'c',
      expiresAt: new Date(expiresAt),
    });
    await db.insert(staffSessions).values([session(T0 - HOUR), session(T0), session(T0 + HOUR)]);
    expect(await purgeExpiredStaffSessions(db, new Date(T0))).toBe(2);
    const left = await db.select().from(staffSessions);
    expect(left.map((s) => s.expiresAt)).toEqual([new Date(T0 + HOUR)]);

    await db.insert(processedWebhooks).values([
      { id: `old-${randomUUID()}`, receivedAt: new Date(T0 - 31 * DAY) },
      { id: `new-${randomUUID()}`, receivedAt: new Date(T0) },
    ]);
    expect(await purgeProcessedWebhooks(db, new Date(T0 - 30 * DAY))).toBe(1);
    expect((await db.select().from(processedWebhooks)).map((w) => w.id)).toEqual([
      expect.stringMatching(/^new-/),
    ]);
  });
});
