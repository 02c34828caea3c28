import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { MeetingRole, ParticipantState } from '@polyphony/domain';
import {
  invites,
  meetings,
  networkMembers,
  networks,
  participants,
  staff,
} from '../schema/index.ts';
import type { MeetingState } from '../schema/enums.ts';
import type { Db, DbOrTx, Tx } from '../types.ts';
import { col, epochMs, fromJson } from './json.ts';
import { preparedOn } from './prepared.ts';

export type MeetingRecord = typeof meetings.$inferSelect;
export type InviteRecord = typeof invites.$inferSelect;

export interface MeetingInNetwork {
  readonly meeting: MeetingRecord;
  readonly network: {
    readonly id: string;
    readonly label: string;
    readonly createdBy: string | null;
  };
}

/**
 * The meeting if its network belongs to the organisation. With `lock`, the meeting row is
 * locked until the transaction ends, so commands on one meeting are decided one at a time.
 */
export async function findMeetingInOrganisation(
  db: DbOrTx,
  organisationId: string,
  meetingId: string,
  options: { readonly lock?: boolean } = {},
): Promise<MeetingInNetwork | null> {
  if (options.lock) {
    const [locked] = await db
      .select({
        meeting: meetings,
        network: { id: networks.id, label: networks.label, createdBy: networks.createdBy },
      })
      .from(meetings)
      .innerJoin(networks, eq(networks.id, meetings.networkId))
      .where(and(eq(meetings.id, meetingId), eq(networks.organisationId, organisationId)))
      .for('update', { of: meetings });
    return locked ?? null;
  }
  // Every read of a meeting by staff: built once per database (see prepared.ts).
  const query = preparedOn(db, 'findMeetingInOrganisation', () =>
    db
      .select({
        meeting: meetings,
        network: { id: networks.id, label: networks.label, createdBy: networks.createdBy },
      })
      .from(meetings)
      .innerJoin(networks, eq(networks.id, meetings.networkId))
      .where(
        and(
          eq(meetings.id, sql.placeholder('meetingId')),
          eq(networks.organisationId, sql.placeholder('organisationId')),
        ),
      )
      .prepare('find_meeting_in_organisation'),
  );
  const [row] = await query.execute({ meetingId, organisationId });
  return row ?? null;
}

export async function insertMeeting(
  tx: Tx,
  values: typeof meetings.$inferInsert,
): Promise<MeetingRecord> {
  const [row] = await tx.insert(meetings).values(values).returning();
  return row!;
}

export interface MeetingListEntry {
  readonly meeting: MeetingRecord;
  readonly networkLabel: string;
}

/** The organisation's `scheduled` meetings (soonest first) or `live` ones (latest start first). */
export function listMeetingsInOrganisation(
  db: Db,
  organisationId: string,
  state: Extract<MeetingState, 'scheduled' | 'live'>,
): Promise<MeetingListEntry[]> {
  return db
    .select({ meeting: meetings, networkLabel: networks.label })
    .from(meetings)
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(and(eq(networks.organisationId, organisationId), eq(meetings.state, state)))
    .orderBy(
      state === 'scheduled' ? asc(meetings.scheduledAt) : desc(meetings.startedAt),
      asc(meetings.id),
    );
}

export interface InviteView {
  readonly invite: InviteRecord;
  /** The member's name or the staff member's display name. */
  readonly name: string;
  /** Someone has knocked with this link. */
  readonly used: boolean;
  /** The language an interpreter's link names (kept on the place it stands for); else null. */
  readonly language: string | null;
}

const inviteViewColumns = {
  invite: invites,
  name: sql<string>`coalesce(${networkMembers.name}, ${staff.displayName}, '')`,
  used: sql<boolean>`exists (select 1 from ${participants} where ${participants.inviteId} = ${invites.id} and ${participants.state} <> 'invited')`,
  language: sql<
    string | null
  >`(select ${participants.language} from ${participants} where ${participants.inviteId} = ${invites.id} limit 1)`,
};

/** What a staff read shows of a link: never its token hash. */
export interface InviteListing {
  readonly invite: Pick<
    InviteRecord,
    'id' | 'networkMemberId' | 'staffId' | 'role' | 'expiresAt' | 'revokedAt' | 'createdAt'
  >;
  readonly name: string;
  readonly used: boolean;
  readonly language: string | null;
}

export interface MeetingDetailRow extends MeetingInNetwork {
  /** Oldest first (by creation, then id). */
  readonly invites: InviteListing[];
  /** Its participants counted by state and role. */
  readonly counts: ParticipantCount[];
}

interface InviteJson {
  id: string;
  networkMemberId: string | null;
  staffId: string | null;
  role: MeetingRole;
  expiresAt: number;
  revokedAt: number | null;
  createdAt: number;
  name: string;
  used: boolean;
  language: string | null;
}

/**
 * The meeting if its network belongs to the organisation, with its links (oldest first) and
 * head-counts, in one round trip: what every staff read of a meeting needs (before, three
 * queries — the meeting, then its links and counts side by side). The meeting as
 * {@link findMeetingInOrganisation} gives it, each link as {@link findInviteView}.
 */
export async function findMeetingDetail(
  db: Db,
  organisationId: string,
  meetingId: string,
): Promise<MeetingDetailRow | null> {
  const query = preparedOn(db, 'findMeetingDetail', () =>
    db
      .select({
        meeting: meetings,
        network: { id: networks.id, label: networks.label, createdBy: networks.createdBy },
        invites: sql<unknown>`(
          select coalesce(json_agg(json_build_object(
            'id', ${col(invites.id)},
            'networkMemberId', ${col(invites.networkMemberId)},
            'staffId', ${col(invites.staffId)},
            'role', ${col(invites.role)},
            'expiresAt', ${epochMs(col(invites.expiresAt))},
            'revokedAt', ${epochMs(col(invites.revokedAt))},
            'createdAt', ${epochMs(col(invites.createdAt))},
            'name', ${inviteViewColumns.name},
            'used', ${inviteViewColumns.used},
            'language', ${inviteViewColumns.language}
          ) order by ${col(invites.createdAt)}, ${col(invites.id)}), '[]'::json)
          from ${invites}
          left join ${networkMembers} on ${col(networkMembers.id)} = ${col(invites.networkMemberId)}
          left join ${staff} on ${col(staff.id)} = ${col(invites.staffId)}
          where ${col(invites.meetingId)} = ${col(meetings.id)}
        )`,
        counts: sql<unknown>`(
          select coalesce(json_agg(json_build_object('state', c.state, 'role', c.role, 'n', c.n)), '[]'::json)
          from (
            select ${col(participants.state)} as state, ${col(participants.role)} as role, count(*)::int as n
            from ${participants}
            where ${col(participants.meetingId)} = ${col(meetings.id)}
            group by ${col(participants.state)}, ${col(participants.role)}
          ) c
        )`,
      })
      .from(meetings)
      .innerJoin(networks, eq(networks.id, meetings.networkId))
      .where(
        and(
          eq(meetings.id, sql.placeholder('meetingId')),
          eq(networks.organisationId, sql.placeholder('organisationId')),
        ),
      )
      .prepare('find_meeting_detail'),
  );
  const [row] = await query.execute({ meetingId, organisationId });
  if (!row) return null;
  const date = (ms: number) => new Date(ms);
  return {
    meeting: row.meeting,
    network: row.network,
    invites: fromJson<InviteJson[]>(row.invites).map((i) => ({
      invite: {
        id: i.id,
        networkMemberId: i.networkMemberId,
        staffId: i.staffId,
        role: i.role,
        expiresAt: date(i.expiresAt),
        revokedAt: i.revokedAt === null ? null : date(i.revokedAt),
        createdAt: date(i.createdAt),
      },
      name: i.name,
      used: i.used,
      language: i.language,
    })),
    counts: fromJson<ParticipantCount[]>(row.counts),
  };
}

export async function findInviteView(
  db: DbOrTx,
  meetingId: string,
  inviteId: string,
): Promise<InviteView | null> {
  const [row] = await db
    .select(inviteViewColumns)
    .from(invites)
    .leftJoin(networkMembers, eq(networkMembers.id, invites.networkMemberId))
    .leftJoin(staff, eq(staff.id, invites.staffId))
    .where(and(eq(invites.meetingId, meetingId), eq(invites.id, inviteId)));
  return row ?? null;
}

/** Members and staff of the meeting who hold a link that is neither revoked nor expired. */
export async function holdersOfUsableInvites(
  db: DbOrTx,
  meetingId: string,
  now: Date,
): Promise<{ memberIds: Set<string>; staffIds: Set<string> }> {
  const rows = await db
    .select({ memberId: invites.networkMemberId, staffId: invites.staffId })
    .from(invites)
    .where(
      and(eq(invites.meetingId, meetingId), isNull(invites.revokedAt), gt(invites.expiresAt, now)),
    );
  return {
    memberIds: new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : []))),
    staffIds: new Set(rows.flatMap((r) => (r.staffId ? [r.staffId] : []))),
  };
}

export interface NewInvite {
  readonly meetingId: string;
  readonly memberId: string | null;
  readonly staffId: string | null;
  readonly role: MeetingRole;
  readonly tokenHash: string;
  readonly expiresAt: Date;
  readonly createdBy: string;
  /** The participant this link stands for (state `invited`), with the id used in the log. */
  readonly participantId: string;
  readonly displayName: string;
  /** An interpreter's language (domain `inviteLanguage`); null for every other role. */
  readonly language: string | null;
}

/**
 * Participants of a meeting whose network member carries the centre person's advance consent
 * (pre-approval), with the staff id that recorded it — so the meeting's log can hold it too.
 */
export async function preApprovedParticipants(
  db: DbOrTx,
  meetingId: string,
): Promise<{ participantId: string; recordedBy: string }[]> {
  const rows = await db
    .select({ participantId: participants.id, recordedBy: networkMembers.preApprovedBy })
    .from(participants)
    .innerJoin(invites, eq(participants.inviteId, invites.id))
    .innerJoin(networkMembers, eq(invites.networkMemberId, networkMembers.id))
    .where(
      and(eq(participants.meetingId, meetingId), sql`${networkMembers.preApprovedAt} is not null`),
    );
  return rows.flatMap((r) =>
    r.recordedBy ? [{ participantId: r.participantId, recordedBy: r.recordedBy }] : [],
  );
}

/** Stores a link and the invited participant it stands for. */
export async function insertInvite(tx: Tx, input: NewInvite): Promise<InviteRecord> {
  const [invite] = await tx
    .insert(invites)
    .values({
      meetingId: input.meetingId,
      networkMemberId: input.memberId,
      staffId: input.staffId,
      role: input.role,
      tokenHash: input.tokenHash,
      expiresAt: input.expiresAt,
      createdBy: input.createdBy,
    })
    .returning();
  await tx.insert(participants).values({
    id: input.participantId,
    meetingId: input.meetingId,
    inviteId: invite!.id,
    staffId: input.staffId,
    role: input.role,
    displayName: input.displayName,
    language: input.language,
    state: 'invited',
  });
  return invite!;
}

/** Marks a link revoked (first revocation time kept); returns the participant it stands for. */
export async function revokeInvite(
  tx: Tx,
  inviteId: string,
  at: Date,
): Promise<{ participantId: string | null }> {
  await tx
    .update(invites)
    .set({ revokedAt: at })
    .where(and(eq(invites.id, inviteId), isNull(invites.revokedAt)));
  const [p] = await tx
    .select({ id: participants.id })
    .from(participants)
    .where(eq(participants.inviteId, inviteId));
  return { participantId: p?.id ?? null };
}

export interface ParticipantCount {
  readonly state: ParticipantState;
  readonly role: MeetingRole;
  readonly n: number;
}
