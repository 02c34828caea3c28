import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { MeetingEvent } from '@polyphony/domain';
import { meetingEvents, meetings } from './schema/index.ts';
import type { DbOrTx, Tx } from './types.ts';

/** Who caused the events, for the log's actor columns (events also name actors in `by`). */
export interface EventActor {
  readonly participantId?: string | null;
  readonly staffId?: string | null;
}

export type StoredMeetingEvent = typeof meetingEvents.$inferSelect;

export class MeetingNotFoundError extends Error {
  constructor(readonly meetingId: string) {
    super('meeting not found');
  }
}

/**
 * Appends domain events to a meeting's log inside the caller's transaction, so they commit
 * together with the state change they describe. Sequence numbers come from `meetings.last_seq`,
 * bumped by an UPDATE that row-locks the meeting until commit: concurrent appenders queue, and
 * the numbers are gap-free and strictly increasing.
 */
export async function appendEvents(
  tx: Tx,
  meetingId: string,
  events: readonly MeetingEvent[],
  actor: EventActor = {},
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
      events.map(({ type, at, ...payload }, i) => ({
        meetingId,
        seq: first + i,
        type,
        payload,
        at: new Date(at),
        actorParticipantId: actor.participantId ?? null,
        actorStaffId: actor.staffId ?? null,
      })),
    )
    .returning();
}

/** A stored row back as the domain event it was made from (for `replay`). */
export function toMeetingEvent(row: StoredMeetingEvent): MeetingEvent {
  return { ...row.payload, type: row.type, at: row.at.getTime() } as MeetingEvent;
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
