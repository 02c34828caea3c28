import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import {
  coreTeamAttendeesAt,
  editCoreTeam,
  type CoreTeamPeriod,
  type StaffRole,
} from '@polyphony/domain';
import {
  coreTeamMembers,
  coreTeamPeriods,
  meetings,
  networkMembers,
  networks,
  participants,
  staff,
} from '../schema/index.ts';
import type { Db, DbOrTx, Tx } from '../types.ts';
import { col, epochMs, fromJson } from './json.ts';
import { preparedOn } from './prepared.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type NetworkRow = typeof networks.$inferSelect;
export type NetworkMemberRow = typeof networkMembers.$inferSelect;

export interface CoreTeamEntry {
  readonly networkId: string;
  readonly staffId: string;
  readonly displayName: string;
  readonly role: StaffRole;
}

/** Which of `ids` are enabled staff of the organisation. */
export async function staffIdsInOrganisation(
  db: DbOrTx,
  organisationId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: staff.id })
    .from(staff)
    .where(
      and(
        eq(staff.organisationId, organisationId),
        inArray(staff.id, [...ids]),
        isNull(staff.disabledAt),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export interface NewNetwork {
  readonly organisationId: string;
  readonly label: string;
  readonly firstContactAt: Date;
  readonly coreTeamStaffIds: readonly string[];
  readonly createdBy: string;
}

export function createNetwork(db: Db, input: NewNetwork): Promise<NetworkRow> {
  return db.transaction((tx) => insertNetwork(tx, input));
}

/** Where the periods of the team named with the network begin: before anything can happen. */
const EPISODE_START = new Date(0);

/** A network with its core team (and the team's first periods), inside a transaction. */
export async function insertNetwork(
  tx: Tx,
  input: NewNetwork & { readonly at?: Date },
): Promise<NetworkRow> {
  const [network] = await tx
    .insert(networks)
    .values({
      organisationId: input.organisationId,
      label: input.label,
      firstContactAt: input.firstContactAt,
      createdBy: input.createdBy,
      ...(input.at ? { createdAt: input.at } : {}),
    })
    .returning();
  if (input.coreTeamStaffIds.length > 0) {
    const rows = input.coreTeamStaffIds.map((staffId) => ({ networkId: network!.id, staffId }));
    await tx.insert(coreTeamMembers).values(rows);
    // The team named at creation counts from the start of the episode.
    await tx.insert(coreTeamPeriods).values(rows.map((r) => ({ ...r, from: EPISODE_START })));
  }
  return network!;
}

/** Adds members inside a transaction; a second centre person throws a unique violation. */
export async function insertMembers(
  tx: Tx,
  networkId: string,
  members: readonly NewMember[],
): Promise<NetworkMemberRow[]> {
  if (members.length === 0) return [];
  return tx
    .insert(networkMembers)
    .values(members.map((m) => ({ networkId, ...m })))
    .returning();
}

/** Every core-team period of the networks (the team's history). */
export async function coreTeamPeriodsOf(
  db: DbOrTx,
  networkIds: readonly string[],
): Promise<(CoreTeamPeriod & { networkId: string })[]> {
  if (networkIds.length === 0) return [];
  const rows = await db
    .select()
    .from(coreTeamPeriods)
    .where(inArray(coreTeamPeriods.networkId, [...networkIds]));
  return rows.map((r) => ({
    networkId: r.networkId,
    staffId: r.staffId,
    from: r.from.getTime(),
    until: r.until?.getTime() ?? null,
  }));
}

/**
 * Sets the network's core team to `staffIds` at `at`, in one transaction under the network's
 * row lock: leavers' periods close, newcomers' open (the domain's `editCoreTeam`); earlier
 * periods never change, so earlier meetings keep their continuity figures.
 */
export function setCoreTeam(
  db: Db,
  networkId: string,
  staffIds: readonly string[],
  at: Date,
): Promise<void> {
  return db.transaction(async (tx) => {
    await tx
      .select({ id: networks.id })
      .from(networks)
      .where(eq(networks.id, networkId))
      .for('update');
    const periods = await coreTeamPeriodsOf(tx, [networkId]);
    const { close, open } = editCoreTeam(periods, staffIds);
    if (close.length > 0) {
      await tx
        .update(coreTeamPeriods)
        .set({ until: at })
        .where(
          and(
            eq(coreTeamPeriods.networkId, networkId),
            inArray(coreTeamPeriods.staffId, [...close]),
            isNull(coreTeamPeriods.until),
          ),
        );
      await tx
        .delete(coreTeamMembers)
        .where(
          and(
            eq(coreTeamMembers.networkId, networkId),
            inArray(coreTeamMembers.staffId, [...close]),
          ),
        );
    }
    if (open.length > 0) {
      await tx
        .insert(coreTeamPeriods)
        .values(open.map((staffId) => ({ networkId, staffId, from: at })));
      await tx
        .insert(coreTeamMembers)
        .values(open.map((staffId) => ({ networkId, staffId, addedAt: at })));
    }
  });
}

/** The network if it belongs to the organisation. */
export async function findNetwork(
  db: DbOrTx,
  organisationId: string,
  networkId: string,
): Promise<NetworkRow | null> {
  const [row] = await db
    .select()
    .from(networks)
    .where(and(eq(networks.id, networkId), eq(networks.organisationId, organisationId)));
  return row ?? null;
}

/** A network as the dashboard lists it: its row, core team, head-count and meetings' attendance. */
export interface NetworkSummaryRow {
  readonly network: NetworkRow;
  /** By display name, as {@link coreTeams}. */
  readonly coreTeam: Omit<CoreTeamEntry, 'networkId'>[];
  readonly memberCount: number;
  /**
   * Each meeting (newest first, as {@link meetingsOf}): when it started and how many of the core
   * team of that moment were admitted ({@link attendeesOf}: the count frozen by the retention
   * purge, else counted from its participants as {@link coreTeamAttendance}).
   */
  readonly meetings: { readonly startedAt: Date | null; readonly coreTeamAttendees: number }[];
}

interface MeetingJson {
  startedAt: number | null;
  frozen: number | null;
  admitted: string[] | null;
}

/**
 * The organisation's networks (newest first contact first) with what
 * the dashboard shows of each, in one query: before, six (the networks, then core teams,
 * head-counts, meetings and the admitted staff, then the core-team periods).
 */
export async function networkSummaryRows(
  db: Db,
  organisationId: string,
): Promise<NetworkSummaryRow[]> {
  const query = preparedOn(db, 'networkSummaryRows', () =>
    db
      .select({
        network: networks,
        coreTeam: sql<unknown>`(
          select coalesce(json_agg(json_build_object(
            'staffId', ${col(staff.id)}, 'displayName', ${col(staff.displayName)}, 'role', ${col(staff.role)}
          ) order by ${col(staff.displayName)}, ${col(staff.id)}), '[]'::json)
          from ${coreTeamMembers}
          join ${staff} on ${col(staff.id)} = ${col(coreTeamMembers.staffId)}
          where ${col(coreTeamMembers.networkId)} = ${col(networks.id)}
        )`,
        memberCount: sql<number>`(
          select count(*)::int from ${networkMembers}
          where ${col(networkMembers.networkId)} = ${col(networks.id)}
        )`,
        meetings: sql<unknown>`(
          select coalesce(json_agg(json_build_object(
            'startedAt', ${epochMs(col(meetings.startedAt))},
            'frozen', ${col(meetings.coreTeamAttendees)},
            'admitted', (
              select json_agg(distinct ${col(participants.staffId)}) from ${participants}
              where ${col(participants.meetingId)} = ${col(meetings.id)}
                and ${col(participants.admissionNumber)} > 0 and ${col(participants.staffId)} is not null
            )
          ) order by ${col(meetings.createdAt)} desc, ${col(meetings.id)} desc), '[]'::json)
          from ${meetings}
          where ${col(meetings.networkId)} = ${col(networks.id)}
        )`,
        periods: sql<unknown>`(
          select coalesce(json_agg(json_build_object(
            'staffId', ${col(coreTeamPeriods.staffId)},
            'from', ${epochMs(col(coreTeamPeriods.from))},
            'until', ${epochMs(col(coreTeamPeriods.until))}
          )), '[]'::json)
          from ${coreTeamPeriods}
          where ${col(coreTeamPeriods.networkId)} = ${col(networks.id)}
        )`,
      })
      .from(networks)
      .where(eq(networks.organisationId, sql.placeholder('organisationId')))
      .orderBy(desc(networks.firstContactAt), asc(networks.id))
      .prepare('network_summary_rows'),
  );
  const rows = await query.execute({ organisationId });
  return rows.map((row) => {
    const periods = fromJson<CoreTeamPeriod[]>(row.periods);
    return {
      network: row.network,
      coreTeam: fromJson<Omit<CoreTeamEntry, 'networkId'>[]>(row.coreTeam),
      memberCount: Number(row.memberCount),
      meetings: fromJson<MeetingJson[]>(row.meetings).map((m) => ({
        startedAt: m.startedAt === null ? null : new Date(m.startedAt),
        coreTeamAttendees: m.frozen ?? coreTeamAttendeesAt(periods, m.admitted ?? [], m.startedAt),
      })),
    };
  });
}

/** Core teams of the given networks, by display name. */
export function coreTeams(db: DbOrTx, networkIds: readonly string[]): Promise<CoreTeamEntry[]> {
  if (networkIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      networkId: coreTeamMembers.networkId,
      staffId: staff.id,
      displayName: staff.displayName,
      role: staff.role,
    })
    .from(coreTeamMembers)
    .innerJoin(staff, eq(staff.id, coreTeamMembers.staffId))
    .where(inArray(coreTeamMembers.networkId, [...networkIds]))
    .orderBy(asc(staff.displayName), asc(staff.id));
}

export function membersOf(db: DbOrTx, networkId: string): Promise<NetworkMemberRow[]> {
  return db
    .select()
    .from(networkMembers)
    .where(eq(networkMembers.networkId, networkId))
    .orderBy(desc(networkMembers.isCentre), asc(networkMembers.createdAt), asc(networkMembers.id));
}

/** Meetings of the given networks, newest first (by start, else schedule, else creation). */
export function meetingsOf(
  db: DbOrTx,
  networkIds: readonly string[],
): Promise<(typeof meetings.$inferSelect)[]> {
  if (networkIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(meetings)
    .where(inArray(meetings.networkId, [...networkIds]))
    .orderBy(desc(meetings.createdAt), desc(meetings.id));
}

/**
 * Per meeting matching `where`: how many distinct staff who were on its network's core team
 * when it started were admitted to it (a participant row for them with at least one
 * admission). The team at that moment comes from the core-team periods
 * (`coreTeamAttendeesAt`), so editing the team later never changes the count.
 */
export async function admittedCoreTeam(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ meetingId: string; n: number }[]> {
  const rows = await db
    .selectDistinct({
      meetingId: participants.meetingId,
      networkId: meetings.networkId,
      startedAt: meetings.startedAt,
      staffId: participants.staffId,
    })
    .from(participants)
    .innerJoin(meetings, eq(meetings.id, participants.meetingId))
    .where(and(where, gt(participants.admissionNumber, 0), isNotNull(participants.staffId)));
  const periods = await coreTeamPeriodsOf(db, [...new Set(rows.map((r) => r.networkId))]);
  const byMeeting = new Map<
    string,
    { networkId: string; startedAt: Date | null; staff: string[] }
  >();
  for (const r of rows) {
    const entry = byMeeting.get(r.meetingId) ?? {
      networkId: r.networkId,
      startedAt: r.startedAt,
      staff: [],
    };
    entry.staff.push(r.staffId!);
    byMeeting.set(r.meetingId, entry);
  }
  return [...byMeeting].map(([meetingId, m]) => ({
    meetingId,
    n: coreTeamAttendeesAt(
      periods.filter((p) => p.networkId === m.networkId),
      m.staff,
      m.startedAt?.getTime() ?? null,
    ),
  }));
}

/**
 * For each meeting of the networks: how many distinct core-team staff were admitted to it,
 * counted from its participants. A meeting the retention purge emptied has no participants
 * left; its count is on its row ({@link attendeesOf}).
 */
export async function coreTeamAttendance(
  db: Db,
  networkIds: readonly string[],
): Promise<Map<string, number>> {
  if (networkIds.length === 0) return new Map();
  const rows = await admittedCoreTeam(db, inArray(meetings.networkId, [...networkIds]));
  return new Map(rows.map((r) => [r.meetingId, r.n]));
}

/**
 * Core-team members admitted to one meeting: the count frozen on its row by the retention
 * purge, else the one counted from its participants (`coreTeamAttendance`).
 */
export function attendeesOf(
  meeting: Pick<typeof meetings.$inferSelect, 'id' | 'coreTeamAttendees'>,
  counted: ReadonlyMap<string, number>,
): number {
  return meeting.coreTeamAttendees ?? counted.get(meeting.id) ?? 0;
}

export interface NewMember {
  readonly name: string;
  readonly relationship: string;
  readonly isCentre: boolean;
}

/** Adds a member, or `centre_taken` if the network already has its centre person. */
export async function addMember(
  db: Db,
  networkId: string,
  input: NewMember,
): Promise<NetworkMemberRow | 'centre_taken'> {
  try {
    const [row] = await db
      .insert(networkMembers)
      .values({ networkId, ...input })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) return 'centre_taken';
    throw err;
  }
}

export interface MemberChanges {
  readonly name?: string;
  readonly relationship?: string;
  readonly isCentre?: boolean;
  /** `{ at, by }` to record pre-approval, null to clear it. */
  readonly preApproval?: { readonly at: Date; readonly by: string } | null;
}

/** Updates a member of the network; null if no such member, `centre_taken` on a second centre. */
export async function updateMember(
  db: Db,
  networkId: string,
  memberId: string,
  changes: MemberChanges,
): Promise<NetworkMemberRow | null | 'centre_taken'> {
  const { preApproval, ...plain } = changes;
  const values = {
    ...plain,
    ...(preApproval === undefined
      ? {}
      : { preApprovedAt: preApproval?.at ?? null, preApprovedBy: preApproval?.by ?? null }),
  };
  try {
    const [row] = await db
      .update(networkMembers)
      .set(values)
      .where(and(eq(networkMembers.id, memberId), eq(networkMembers.networkId, networkId)))
      .returning();
    return row ?? null;
  } catch (err) {
    if (isUniqueViolation(err)) return 'centre_taken';
    throw err;
  }
}

export async function findMember(
  db: DbOrTx,
  networkId: string,
  memberId: string,
): Promise<NetworkMemberRow | null> {
  const [row] = await db
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.id, memberId), eq(networkMembers.networkId, networkId)));
  return row ?? null;
}

/** Removes a member (their links go with them); false if there was no such member. */
export async function deleteMember(db: Db, networkId: string, memberId: string): Promise<boolean> {
  const rows = await db
    .delete(networkMembers)
    .where(and(eq(networkMembers.id, memberId), eq(networkMembers.networkId, networkId)))
    .returning({ id: networkMembers.id });
  return rows.length > 0;
}
