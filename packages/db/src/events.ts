import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { meetingEvents, meetings } from './schema/index.ts';
import type { DbOrTx, Tx } from './types.ts';

export interface NewMeetingEvent {
  readonly type: string;
  readonly payload?: Record<string, unknown>;
  readonly actorParticipantId?: string | null;
  readonly actorStaffId?: string | null;
}

export type StoredMeetingEvent = typeof meetingEvents.$inferSelect;

export class MeetingNotFoundError extends Error {
  constructor(readonly meetingId: string) {
    super('meeting not found');
  }
}

/**
 * Appends events to a meeting's log inside the caller's transaction, so the events commit
 * together with the state change they describe. Sequence numbers come from `meetings.last_seq`,
 * bumped with an UPDATE that row-locks the meeting until commit: concurrent appenders queue,
 * and the numbers are gap-free and strictly increasing.
 */
export async function appendEvents(
  tx: Tx,
  meetingId: string,
  events: readonly NewMeetingEvent[],
): Promise<StoredMeetingEvent[]> {
  if (events.length === 0) return [];
  const [row] = await tx
    .update(meetings)
    .set({ lastSeq: sql`${meetings.lastSeq} + ${events.length}` })
    .where(eq(meetings.id, meetingId))
    .returning({ lastSeq: meetings.lastSeq });
  if (!row) throw new MeetingNotFoundError(meetingId);
  const first = row.lastSeq - events.length + 1;
  return tx
    .insert(meetingEvents)
    .values(
      events.map((e, i) => ({
        meetingId,
        seq: first + i,
        type: e.type,
        payload: e.payload ?? {},
        actorParticipantId: e.actorParticipantId ?? null,
        actorStaffId: e.actorStaffId ?? null,
      })),
    )
    .returning();
}

/** Events with `seq > since`, oldest first. */
export function eventsSince(
  db: DbOrTx,
  meetingId: string,
  since: number,
  limit = 1000,
): Promise<StoredMeetingEvent[]> {
  return db
    .select()
    .from(meetingEvents)
    .where(and(eq(meetingEvents.meetingId, meetingId), gt(meetingEvents.seq, since)))
    .orderBy(asc(meetingEvents.seq))
    .limit(limit);
}
