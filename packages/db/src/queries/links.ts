import { and, asc, eq, isNull } from 'drizzle-orm';
import type { MeetingRole } from '@polyphony/domain';
import {
  coreTeamMembers,
  invites,
  meetings,
  networks,
  participants,
  staff,
} from '../schema/index.ts';
import type { DbOrTx, Tx } from '../types.ts';

/** A personal link with the meeting and the participant it stands for. */
export interface LinkView {
  readonly inviteId: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly meetingId: string;
  readonly networkId: string;
  readonly meetingState: 'scheduled' | 'live' | 'ended';
  readonly scheduledAt: Date | null;
  readonly participantId: string;
  readonly role: MeetingRole;
  readonly displayName: string;
}

/** The link a token's hash opens (whatever its expiry or revocation), or null. */
export async function findLinkByTokenHash(db: DbOrTx, tokenHash: string): Promise<LinkView | null> {
  const [row] = await db
    .select({
      inviteId: invites.id,
      expiresAt: invites.expiresAt,
      revokedAt: invites.revokedAt,
      meetingId: meetings.id,
      networkId: meetings.networkId,
      meetingState: meetings.state,
      scheduledAt: meetings.scheduledAt,
      participantId: participants.id,
      role: participants.role,
      displayName: participants.displayName,
    })
    .from(invites)
    .innerJoin(meetings, eq(meetings.id, invites.meetingId))
    .innerJoin(participants, eq(participants.inviteId, invites.id))
    .where(eq(invites.tokenHash, tokenHash))
    .orderBy(asc(participants.createdAt))
    .limit(1);
  return row ?? null;
}

/** A network's core team by display name (enabled accounts only). */
export async function coreTeamNames(db: DbOrTx, networkId: string): Promise<string[]> {
  const rows = await db
    .select({ displayName: staff.displayName })
    .from(coreTeamMembers)
    .innerJoin(staff, eq(staff.id, coreTeamMembers.staffId))
    .where(and(eq(coreTeamMembers.networkId, networkId), isNull(staff.disabledAt)))
    .orderBy(asc(staff.displayName));
  return rows.map((r) => r.displayName);
}

/** A knock's session: the name the person gave and the hash of their new session token. */
export async function startGuestSession(
  tx: Tx,
  participantId: string,
  displayName: string,
  sessionHash: string,
): Promise<void> {
  await tx
    .update(participants)
    .set({ displayName, guestSessionHash: sessionHash })
    .where(eq(participants.id, participantId));
}

/** A new guest session for a participant, their name unchanged (reading the record after the end). */
export async function renewGuestSession(
  tx: Tx,
  participantId: string,
  sessionHash: string,
): Promise<void> {
  await tx
    .update(participants)
    .set({ guestSessionHash: sessionHash })
    .where(eq(participants.id, participantId));
}

/** Whether a meeting is in the organisation, and the staff member's standing in its network. */
export async function staffStandingInMeeting(
  db: DbOrTx,
  meetingId: string,
  organisationId: string,
  staffId: string,
): Promise<{ isCoreTeam: boolean; isMeetingCreator: boolean } | null> {
  const [row] = await db
    .select({ networkId: networks.id, createdBy: meetings.createdBy })
    .from(meetings)
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(and(eq(meetings.id, meetingId), eq(networks.organisationId, organisationId)));
  if (!row) return null;
  const [core] = await db
    .select({ staffId: coreTeamMembers.staffId })
    .from(coreTeamMembers)
    .where(and(eq(coreTeamMembers.networkId, row.networkId), eq(coreTeamMembers.staffId, staffId)));
  return { isCoreTeam: core !== undefined, isMeetingCreator: row.createdBy === staffId };
}

/** A place in a meeting for a staff member (state `invited`; the domain's invite follows). */
export async function insertStaffParticipant(
  tx: Tx,
  p: { id: string; meetingId: string; staffId: string; role: MeetingRole; displayName: string },
): Promise<void> {
  await tx.insert(participants).values({ ...p, state: 'invited' });
}
