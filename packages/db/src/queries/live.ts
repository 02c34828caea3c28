import { eq } from 'drizzle-orm';
import { guestSessions, meetings, participants } from '../schema/index.ts';
import { hashToken } from '../tokens.ts';
import type { Db } from '../types.ts';

export type MeetingRow = typeof meetings.$inferSelect;
export type ParticipantRow = typeof participants.$inferSelect;

/** The participant a guest session cookie belongs to, looked up by the token's hash. */
export async function findParticipantByGuestToken(
  db: Db,
  token: string,
): Promise<{ participantId: string; meetingId: string } | null> {
  const [row] = await db
    .select({ participantId: participants.id, meetingId: participants.meetingId })
    .from(guestSessions)
    .innerJoin(participants, eq(participants.id, guestSessions.participantId))
    .where(eq(guestSessions.tokenHash, hashToken(token)));
  return row ?? null;
}
