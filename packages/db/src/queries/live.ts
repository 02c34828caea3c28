import { and, asc, eq } from 'drizzle-orm';
import { meetings, participants } from '../schema/index.ts';
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
    .from(participants)
    .where(eq(participants.guestSessionHash, hashToken(token)));
  return row ?? null;
}

export interface MeetingView {
  readonly meeting: MeetingRow;
  readonly me: ParticipantRow;
  /** Admitted participants, in admission order. */
  readonly admitted: readonly ParticipantRow[];
}

/**
 * The meeting as one participant sees it, read in one repeatable-read transaction so that
 * `meeting.lastSeq` and the roster agree. Null when the participant is not in that meeting.
 */
export function readMeetingView(
  db: Db,
  meetingId: string,
  participantId: string,
): Promise<MeetingView | null> {
  return db.transaction(
    async (tx) => {
      const [me] = await tx
        .select()
        .from(participants)
        .where(and(eq(participants.id, participantId), eq(participants.meetingId, meetingId)));
      const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, meetingId));
      if (!me || !meeting) return null;
      const admitted = await tx
        .select()
        .from(participants)
        .where(and(eq(participants.meetingId, meetingId), eq(participants.state, 'admitted')))
        .orderBy(asc(participants.admittedAt), asc(participants.id));
      return { meeting, me, admitted };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
