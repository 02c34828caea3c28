import { and, asc, eq, isNull } from 'drizzle-orm';
import type { MeetingRole } from '@polyphony/domain';
import {
  coreTeamMembers,
  guestSessions,
  invites,
  meetings,
  networks,
  organisations,
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
  /** The organisation the link belongs to. */
  readonly organisationName: string;
  /** How to reach the organisation the link belongs to, if it said (organisations.contact). */
  readonly organisationContact: string | null;
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
      organisationName: organisations.name,
      organisationContact: organisations.contact,
    })
    .from(invites)
    .innerJoin(meetings, eq(meetings.id, invites.meetingId))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .innerJoin(organisations, eq(organisations.id, networks.organisationId))
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

/**
 * The names a person knocking through their link would be confused with: everyone else's in
 * the meeting and the network's core team, leaving out the person themselves (and, for staff,
 * their own account wherever it appears).
 */
export async function namesBeside(
  db: DbOrTx,
  link: Pick<LinkView, 'meetingId' | 'networkId' | 'participantId'>,
): Promise<string[]> {
  const people = await db
    .select({ id: participants.id, staffId: participants.staffId, name: participants.displayName })
    .from(participants)
    .where(eq(participants.meetingId, link.meetingId));
  const own = people.find((p) => p.id === link.participantId)?.staffId ?? null;
  const team = await db
    .select({ staffId: staff.id, name: staff.displayName })
    .from(coreTeamMembers)
    .innerJoin(staff, eq(staff.id, coreTeamMembers.staffId))
    .where(and(eq(coreTeamMembers.networkId, link.networkId), isNull(staff.disabledAt)));
  return [
    ...people.filter((p) => p.id !== link.participantId && (own === null || p.staffId !== own)),
    ...team.filter((m) => m.staffId !== own),
  ].map((p) => p.name);
}

/**
 * A new device's session of a personal link; returns its id (the device the meeting's events
 * name). `displayName` is the name the person gave, when it should replace the one on the
 * place (not while another device holds their seat in the room).
 */
export async function startGuestSession(
  tx: Tx,
  participantId: string,
  sessionHash: string,
  displayName: string | null,
): Promise<string> {
  if (displayName !== null) {
    await tx.update(participants).set({ displayName }).where(eq(participants.id, participantId));
  }
  const [row] = await tx
    .insert(guestSessions)
    .values({ participantId, tokenHash: sessionHash })
    .returning({ id: guestSessions.id });
  return row!.id;
}

/** The session (device) a guest token's hash belongs to, with its participant and meeting. */
export async function findGuestSession(
  db: DbOrTx,
  sessionHash: string,
): Promise<{ device: string; participantId: string; meetingId: string } | null> {
  const [row] = await db
    .select({
      device: guestSessions.id,
      participantId: guestSessions.participantId,
      meetingId: participants.meetingId,
    })
    .from(guestSessions)
    .innerJoin(participants, eq(participants.id, guestSessions.participantId))
    .where(eq(guestSessions.tokenHash, sessionHash));
  return row ?? null;
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
