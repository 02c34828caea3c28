import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { MeetingRetentionFacts } from '@polyphony/domain';
import {
  e2eeDeviceKeys,
  e2eeMailbox,
  e2eeResendRequests,
  invites,
  meetingEvents,
  meetings,
  participants,
  processedWebhooks,
  staffSessions,
} from '../schema/index.ts';
import type { MeetingState } from '../schema/enums.ts';
import type { Db, DbOrTx } from '../types.ts';
import { admittedCoreTeam } from './networks.ts';

/** A meeting the purge may look at, with the facts the retention rule reads. */
export interface RetentionCandidate {
  readonly meetingId: string;
  readonly facts: MeetingRetentionFacts;
}

const factColumns = {
  id: meetings.id,
  state: meetings.state,
  createdAt: meetings.createdAt,
  scheduledAt: meetings.scheduledAt,
  startedAt: meetings.startedAt,
  endedAt: meetings.endedAt,
  // Drizzle leaves columns unqualified in a one-table select, so the correlation is spelt out.
  lastActivityAt: sql<Date | null>`(select max(e.at) from ${meetingEvents} e
    where e.meeting_id = "meetings"."id")`.mapWith(meetingEvents.at),
  linksUsableUntil: sql<Date | null>`(select max(i.expires_at) from ${invites} i
    where i.meeting_id = "meetings"."id" and i.revoked_at is null)`.mapWith(invites.expiresAt),
};

interface FactRow {
  readonly id: string;
  readonly state: MeetingState;
  readonly createdAt: Date;
  readonly scheduledAt: Date | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly lastActivityAt: Date | null;
  readonly linksUsableUntil: Date | null;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

function toCandidate(row: FactRow): RetentionCandidate {
  return {
    meetingId: row.id,
    facts: {
      status: row.state,
      createdAt: row.createdAt.getTime(),
      scheduledAt: ms(row.scheduledAt),
      startedAt: ms(row.startedAt),
      endedAt: ms(row.endedAt),
      lastActivityAt: ms(row.lastActivityAt),
      linksUsableUntil: ms(row.linksUsableUntil),
    },
  };
}

/**
 * Meetings not yet purged that were created at or before `createdBefore`, oldest first, with
 * their retention facts. The retention rule never lets a meeting go sooner than its retention
 * period after its creation, so `now - retention` bounds the search without deciding anything.
 */
export async function retentionCandidates(
  db: DbOrTx,
  createdBefore: Date,
): Promise<RetentionCandidate[]> {
  const rows = await db
    .select(factColumns)
    .from(meetings)
    .where(and(isNull(meetings.purgedAt), lte(meetings.createdAt, createdBefore)))
    .orderBy(asc(meetings.createdAt), asc(meetings.id));
  return rows.map(toCandidate);
}

/** The retention facts of one meeting (for saying when its record goes), or null. */
export async function meetingRetentionFacts(
  db: DbOrTx,
  meetingId: string,
): Promise<MeetingRetentionFacts | null> {
  const [row] = await db.select(factColumns).from(meetings).where(eq(meetings.id, meetingId));
  return row ? toCandidate(row).facts : null;
}

/** `purged`: emptied, the row kept as a summary; `deleted`: never held, gone; `skipped`. */
export type PurgeOutcome = 'purged' | 'deleted' | 'skipped';

/**
 * Removes one meeting's personal data in one transaction: its log (with the shared record),
 * participants (names, companions, guest sessions) and links. A meeting that was held keeps
 * its row with the times and the count of core-team members admitted, so the dashboard's
 * figures stay the same; one never held is deleted. The row is locked first (`SKIP LOCKED`:
 * a meeting another node is purging, or a command is changing, is left for the next run) and
 * `stillDue` is asked again under the lock. Idempotent: a purged meeting is skipped.
 */
export function purgeMeeting(
  db: Db,
  meetingId: string,
  at: Date,
  stillDue: (facts: MeetingRetentionFacts) => boolean,
): Promise<PurgeOutcome> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select(factColumns)
      .from(meetings)
      .where(and(eq(meetings.id, meetingId), isNull(meetings.purgedAt)))
      .for('update', { skipLocked: true });
    if (!locked) return 'skipped';
    const candidate = toCandidate(locked);
    if (!stillDue(candidate.facts)) return 'skipped';
    const [attended] = await admittedCoreTeam(tx, eq(meetings.id, meetingId));
    await tx.delete(meetingEvents).where(eq(meetingEvents.meetingId, meetingId));
    await tx.delete(e2eeMailbox).where(eq(e2eeMailbox.meetingId, meetingId));
    await tx.delete(e2eeResendRequests).where(eq(e2eeResendRequests.meetingId, meetingId));
    await tx.delete(e2eeDeviceKeys).where(eq(e2eeDeviceKeys.meetingId, meetingId));
    await tx.delete(participants).where(eq(participants.meetingId, meetingId));
    await tx.delete(invites).where(eq(invites.meetingId, meetingId));
    if (candidate.facts.startedAt === null) {
      await tx.delete(meetings).where(eq(meetings.id, meetingId));
      return 'deleted';
    }
    await tx
      .update(meetings)
      .set({ purgedAt: at, coreTeamAttendees: attended?.n ?? 0, state: 'ended' })
      .where(eq(meetings.id, meetingId));
    return 'purged';
  });
}

/** Deletes staff sessions that have expired (they no longer sign anyone in); returns how many. */
export async function purgeExpiredStaffSessions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(staffSessions)
    .where(lte(staffSessions.expiresAt, now))
    .returning({ id: staffSessions.id });
  return rows.length;
}

/** Forgets LiveKit webhook ids received before `before` (no retry comes that late). */
export async function purgeProcessedWebhooks(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(processedWebhooks)
    .where(lte(processedWebhooks.receivedAt, before))
    .returning({ id: processedWebhooks.id });
  return rows.length;
}
