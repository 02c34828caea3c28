import { eq } from 'drizzle-orm';
import {
  guestSessions,
  invites,
  meetings,
  networks,
  organisations,
  participants,
} from '../schema/index.ts';
import type { DbOrTx } from '../types.ts';

/** A guest session's participant and the personal link it came from (for reading the record). */
export interface GuestReader {
  readonly participantId: string;
  readonly meetingId: string;
  /** The session's device (see the domain's `deviceStanding`). */
  readonly device: string;
  /** Null only for a participant without a link (staff places); such rows have no guest session. */
  readonly linkExpiresAt: Date | null;
  readonly linkRevokedAt: Date | null;
}

/** The guest session with this token hash, with its link's expiry and revocation, or null. */
export async function findGuestReader(
  db: DbOrTx,
  sessionHash: string,
): Promise<GuestReader | null> {
  const [row] = await db
    .select({
      participantId: participants.id,
      meetingId: participants.meetingId,
      device: guestSessions.id,
      linkExpiresAt: invites.expiresAt,
      linkRevokedAt: invites.revokedAt,
    })
    .from(guestSessions)
    .innerJoin(participants, eq(participants.id, guestSessions.participantId))
    .leftJoin(invites, eq(invites.id, participants.inviteId))
    .where(eq(guestSessions.tokenHash, sessionHash));
  return row ?? null;
}

/** Who holds a meeting: its network and that network's organisation, with its contact. */
export interface MeetingHostRow {
  readonly networkId: string;
  readonly organisationName: string;
  readonly organisationContact: string | null;
}

/** The network and organisation of a meeting, or null for no such meeting. */
export async function findMeetingHost(
  db: DbOrTx,
  meetingId: string,
): Promise<MeetingHostRow | null> {
  const [row] = await db
    .select({
      networkId: networks.id,
      organisationName: organisations.name,
      organisationContact: organisations.contact,
    })
    .from(meetings)
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .innerJoin(organisations, eq(organisations.id, networks.organisationId))
    .where(eq(meetings.id, meetingId));
  return row ?? null;
}
