import {
  and,
  asc,
  count,
  countDistinct,
  desc,
  eq,
  gt,
  inArray,
  isNull,
  type SQL,
} from 'drizzle-orm';
import type { StaffRole } from '@polyphony/domain';
import {
  coreTeamMembers,
  meetings,
  networkMembers,
  networks,
  participants,
  staff,
} from '../schema/index.ts';
import type { Db, DbOrTx } from '../types.ts';
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
  return db.transaction(async (tx) => {
    const [network] = await tx
      .insert(networks)
      .values({
        organisationId: input.organisationId,
        label: input.label,
        firstContactAt: input.firstContactAt,
        createdBy: input.createdBy,
      })
      .returning();
    if (input.coreTeamStaffIds.length > 0) {
      await tx
        .insert(coreTeamMembers)
        .values(input.coreTeamStaffIds.map((staffId) => ({ networkId: network!.id, staffId })));
    }
    return network!;
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

export function listNetworkRows(db: Db, organisationId: string): Promise<NetworkRow[]> {
  return db
    .select()
    .from(networks)
    .where(eq(networks.organisationId, organisationId))
    .orderBy(desc(networks.firstContactAt), asc(networks.id));
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

export async function memberCounts(
  db: Db,
  networkIds: readonly string[],
): Promise<Map<string, number>> {
  if (networkIds.length === 0) return new Map();
  const rows = await db
    .select({ networkId: networkMembers.networkId, n: count() })
    .from(networkMembers)
    .where(inArray(networkMembers.networkId, [...networkIds]))
    .groupBy(networkMembers.networkId);
  return new Map(rows.map((r) => [r.networkId, r.n]));
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
 * Per meeting matching `where`: how many distinct core-team staff of its network were admitted
 * to it (a participant row for that staff member with at least one admission).
 */
export function admittedCoreTeam(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({ meetingId: participants.meetingId, n: countDistinct(participants.staffId) })
    .from(participants)
    .innerJoin(meetings, eq(meetings.id, participants.meetingId))
    .innerJoin(
      coreTeamMembers,
      and(
        eq(coreTeamMembers.networkId, meetings.networkId),
        eq(coreTeamMembers.staffId, participants.staffId),
      ),
    )
    .where(and(where, gt(participants.admissionNumber, 0)))
    .groupBy(participants.meetingId);
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
