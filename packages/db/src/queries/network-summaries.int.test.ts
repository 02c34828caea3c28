import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  coreTeamMembers,
  coreTeamPeriods,
  meetings,
  networkMembers,
  networks,
  organisations,
  participants,
  staff,
} from '../schema/index.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  rawQuery,
  testDatabaseTargets,
  type TestDatabase,
} from '../testing/index.ts';
import type { Db } from '../types.ts';
import { asc, count, desc, eq, inArray } from 'drizzle-orm';
import {
  attendeesOf,
  coreTeamAttendance,
  coreTeams,
  meetingsOf,
  networkSummaryRows,
} from './networks.ts';

// The dashboard's network list in one query (networkSummaryRows) must give what the six queries
// it replaces give: the networks in order, each one's core team, head-count, and per meeting
// its start and core-team attendance (frozen by the purge, else counted against the core team
// of the moment it started), and nothing of another organisation.

const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const HOUR = 3_600_000;

describe.each(testDatabaseTargets())('the network list in one query on $name', (target) => {
  let t: TestDatabase;
  let db: Db;
  let organisationId: string;
  let otherOrganisationId: string;

  beforeAll(async () => {
    t = await target.open();
    db = t.database.db;
    const [org, other] = await db
      .insert(organisations)
      .values([{ name: 'Org' }, { name: 'Other' }])
      .returning();
    organisationId = org!.id;
    otherOrganisationId = other!.id;
    const person = async (displayName: string) =>
      (
        await db
          .insert(staff)
          .values({
            organisationId,
            email: `${randomUUID()}@example.org`,
            displayName,
            role: 'clinician',
            passwordHash: 'h',
          })
          .returning()
      )[0]!.id;
    const [lee, ana, late] = [await person('Lee'), await person('Ana'), await person('Late')];
    const [busy, quiet] = await db
      .insert(networks)
      .values([
        { organisationId, label: 'Busy', firstContactAt: new Date(T0 - HOUR) },
        { organisationId, label: 'Quiet', firstContactAt: new Date(T0 + HOUR) },
      ])
      .returning();
    await db.insert(networks).values({
      organisationId: otherOrganisationId,
      label: 'Elsewhere',
      firstContactAt: new Date(T0),
    });
    const networkId = busy!.id;
    await db.insert(coreTeamMembers).values([
      { networkId, staffId: lee },
      { networkId, staffId: ana },
      { networkId, staffId: late },
    ]);
    await db.insert(coreTeamPeriods).values([
      { networkId, staffId: lee, from: new Date(T0 - HOUR) },
      { networkId, staffId: ana, from: new Date(T0 - HOUR), until: new Date(T0 + 10 * HOUR) },
      // On the team only after the first meeting started.
      { networkId, staffId: late, from: new Date(T0 + HOUR) },
    ]);
    await db.insert(networkMembers).values([
      { networkId, name: 'Dad', relationship: 'father' },
      { networkId, name: 'Mum', relationship: 'mother' },
      { networkId, name: 'Sam', relationship: 'self', isCentre: true },
    ]);
    const [first, second, purged] = await db
      .insert(meetings)
      .values([
        { networkId, state: 'ended', startedAt: new Date(T0), createdAt: new Date(T0 - 60_000) },
        {
          networkId,
          state: 'live',
          startedAt: new Date(T0 + 20 * HOUR),
          createdAt: new Date(T0 + 20 * HOUR),
        },
        {
          networkId,
          state: 'ended',
          startedAt: new Date(T0 - HOUR),
          createdAt: new Date(T0 - 2 * HOUR),
          coreTeamAttendees: 5,
        },
        { networkId, state: 'scheduled', scheduledAt: new Date(T0 + 40 * HOUR) },
      ])
      .returning();
    void purged;
    const seat = (meetingId: string, staffId: string | null, admissionNumber: number) => ({
      meetingId,
      staffId,
      role: staffId ? ('team' as const) : ('network' as const),
      displayName: 'x',
      admissionNumber,
      state: admissionNumber > 0 ? ('admitted' as const) : ('waiting' as const),
    });
    await db.insert(participants).values([
      seat(first!.id, lee, 1),
      seat(first!.id, ana, 2),
      seat(first!.id, late, 1), // admitted, but not yet on the team then
      seat(first!.id, null, 1),
      seat(second!.id, lee, 0), // waiting: not admitted
      seat(second!.id, late, 1), // on the team by then; Ana's period ended
      seat(second!.id, ana, 1),
    ]);
    // Sub-millisecond times: Lee's period starts 0.4 ms after the first meeting did, which
    // compared as Dates (milliseconds) is the same moment — counted.
    await rawQuery(
      t.database,
      `update core_team_periods set from_at = $2::timestamptz + interval '0.4 milliseconds'
       where staff_id = $1`,
      [lee, new Date(T0).toISOString()],
    );
    await rawQuery(
      t.database,
      `update meetings set started_at = started_at + interval '0.3 milliseconds' where id = $1`,
      [first!.id],
    );
    void quiet;
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

  /** What the separate queries (the read before this one) give, in the combined read's shape. */
  const separately = async (orgId: string) => {
    const rows = await db
      .select()
      .from(networks)
      .where(eq(networks.organisationId, orgId))
      .orderBy(desc(networks.firstContactAt), asc(networks.id));
    const ids = rows.map((n) => n.id);
    const memberCounts = async () =>
      new Map(
        (
          await db
            .select({ networkId: networkMembers.networkId, n: count() })
            .from(networkMembers)
            .where(inArray(networkMembers.networkId, ids.length > 0 ? ids : ['']))
            .groupBy(networkMembers.networkId)
        ).map((r) => [r.networkId, r.n]),
      );
    const [teams, counts, allMeetings, attendance] = await Promise.all([
      coreTeams(db, ids),
      memberCounts(),
      meetingsOf(db, ids),
      coreTeamAttendance(db, ids),
    ]);
    return rows.map((network) => ({
      network,
      coreTeam: teams
        .filter((c) => c.networkId === network.id)
        .map(({ staffId, displayName, role }) => ({ staffId, displayName, role })),
      memberCount: counts.get(network.id) ?? 0,
      meetings: allMeetings
        .filter((m) => m.networkId === network.id)
        .map((m) => ({ startedAt: m.startedAt, coreTeamAttendees: attendeesOf(m, attendance) })),
    }));
  };

  it('gives what the separate queries give', async () => {
    const combined = await networkSummaryRows(db, organisationId);
    expect(combined).toEqual(await separately(organisationId));
    // The fixture is what it claims.
    expect(combined.map((n) => n.network.label)).toEqual(['Quiet', 'Busy']);
    const busy = combined[1]!;
    expect(busy.coreTeam.map((c) => c.displayName)).toEqual(['Ana', 'Late', 'Lee']);
    expect(busy.memberCount).toBe(3);
    // Newest first: scheduled (never started), second (Late + Lee waiting → Late only, Ana's
    // period over), first (Lee and Ana; Late not yet on the team), purged (frozen 5).
    expect(busy.meetings.map((m) => m.coreTeamAttendees)).toEqual([0, 1, 2, 5]);
    expect(combined[0]!).toMatchObject({ coreTeam: [], memberCount: 0, meetings: [] });
  });

  it("lists only the organisation's own networks", async () => {
    const elsewhere = await networkSummaryRows(db, otherOrganisationId);
    expect(elsewhere.map((n) => n.network.label)).toEqual(['Elsewhere']);
    expect(elsewhere).toEqual(await separately(otherOrganisationId));
    expect(await networkSummaryRows(db, randomUUID())).toEqual([]);
  });
});
