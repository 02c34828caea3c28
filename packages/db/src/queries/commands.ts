import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type {
  Companion,
  CutoffPlan,
  MeetingSettings,
  Mode,
  ParticipantState,
} from '@polyphony/domain';
import { guestSessions, meetings, participants, processedWebhooks } from '../schema/index.ts';
import type { DbOrTx, Tx } from '../types.ts';
import type { MeetingRow } from './live.ts';

/** Reads a meeting row; with a transaction, `lock` holds it (FOR UPDATE) until commit. */
export async function findMeetingRow(
  db: DbOrTx,
  meetingId: string,
  lock = false,
): Promise<MeetingRow | null> {
  const query = db.select().from(meetings).where(eq(meetings.id, meetingId));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

/** Ids of meetings whose row says live (the reconcile loop walks these). */
export async function liveMeetingIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ id: meetings.id })
    .from(meetings)
    .where(eq(meetings.state, 'live'));
  return rows.map((r) => r.id);
}

/** What the log decided about one participant, as the row mirrors it. */
export interface ParticipantMirror {
  readonly state?: ParticipantState;
  readonly admissionNumber?: number;
  readonly companions?: readonly Companion[];
  readonly facilitatorApprovedAt?: Date | null;
  readonly centreConsentedAt?: Date | null;
  readonly lastKnockAt?: Date;
  readonly admittedAt?: Date;
  readonly leftAt?: Date;
  readonly wishToRespondAt?: Date | null;
}

export async function mirrorParticipant(
  tx: Tx,
  meetingId: string,
  participantId: string,
  changes: ParticipantMirror,
  at: Date,
): Promise<void> {
  await tx
    .update(participants)
    .set({ ...changes, updatedAt: at })
    .where(and(eq(participants.id, participantId), eq(participants.meetingId, meetingId)));
}

/** A new mode starts the wishes to respond afresh. */
export async function clearWishes(tx: Tx, meetingId: string): Promise<void> {
  await tx
    .update(participants)
    .set({ wishToRespondAt: null })
    .where(eq(participants.meetingId, meetingId));
}

export interface MeetingMirror {
  readonly mode?: Mode;
  readonly settings?: MeetingSettings;
  readonly state?: 'live' | 'ended';
  /** Kept if already set (an immediate meeting may carry its creation time). */
  readonly startedAt?: Date;
  readonly endedAt?: Date;
}

export async function mirrorMeeting(tx: Tx, meetingId: string, m: MeetingMirror): Promise<void> {
  const { startedAt, ...rest } = m;
  const set = {
    ...rest,
    ...(startedAt
      ? { startedAt: sql`coalesce(${meetings.startedAt}, ${startedAt.toISOString()}::timestamptz)` }
      : {}),
  };
  if (Object.keys(set).length === 0) return;
  await tx.update(meetings).set(set).where(eq(meetings.id, meetingId));
}

/** NOTIFY inside the caller's transaction: delivered to listeners only if it commits. */
export async function notifyInTransaction(tx: Tx, channel: string, payload: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}

/** The participant a guest session belongs to, and the session's device, by the token's hash. */
export async function findGuestParticipant(
  db: DbOrTx,
  sessionHash: string,
): Promise<{ id: string; meetingId: string; device: string } | null> {
  const [row] = await db
    .select({
      id: participants.id,
      meetingId: participants.meetingId,
      device: guestSessions.id,
    })
    .from(guestSessions)
    .innerJoin(participants, eq(participants.id, guestSessions.participantId))
    .where(eq(guestSessions.tokenHash, sessionHash));
  return row ?? null;
}

/** The participant a staff member holds in a meeting (their latest, if several). */
export async function findStaffParticipantId(
  db: DbOrTx,
  meetingId: string,
  staffId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.meetingId, meetingId), eq(participants.staffId, staffId)))
    .orderBy(desc(participants.createdAt))
    .limit(1);
  return row?.id ?? null;
}

/** Display names of a meeting's participants (names live in rows, never in the log). */
export async function participantNames(
  db: DbOrTx,
  meetingId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: participants.id, displayName: participants.displayName })
    .from(participants)
    .where(eq(participants.meetingId, meetingId))
    .orderBy(asc(participants.createdAt));
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

/** What the live views read from a meeting's participant rows (never from its log). */
export interface ParticipantRows {
  readonly names: ReadonlyMap<string, string>;
  /** An interpreter's language (BCP 47), null for everyone else or when none was named. */
  readonly languages: ReadonlyMap<string, string | null>;
  /** Each participant's "if we get cut off" plan, null when none was declared. */
  readonly plans: ReadonlyMap<string, CutoffPlan | null>;
}

const planOf = (controlledBy: string | null, reachBy: string | null): CutoffPlan | null =>
  controlledBy === null && reachBy === null
    ? null
    : { controlledBy: controlledBy ?? '', reachBy: reachBy ?? '' };

/** Display names, interpreters' languages and cut-off plans of a meeting's participants, in one read. */
export async function participantRows(db: DbOrTx, meetingId: string): Promise<ParticipantRows> {
  const rows = await db
    .select({
      id: participants.id,
      displayName: participants.displayName,
      language: participants.language,
      controlledBy: participants.planControlledBy,
      reachBy: participants.planReachBy,
    })
    .from(participants)
    .where(eq(participants.meetingId, meetingId))
    .orderBy(asc(participants.createdAt));
  return {
    names: new Map(rows.map((r) => [r.id, r.displayName])),
    languages: new Map(rows.map((r) => [r.id, r.language])),
    plans: new Map(rows.map((r) => [r.id, planOf(r.controlledBy, r.reachBy)])),
  };
}

/** One participant's stored cut-off plan (null: none, or no such participant). */
export async function participantPlan(
  db: DbOrTx,
  meetingId: string,
  participantId: string,
): Promise<CutoffPlan | null> {
  const [row] = await db
    .select({ controlledBy: participants.planControlledBy, reachBy: participants.planReachBy })
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.meetingId, meetingId)));
  return row ? planOf(row.controlledBy, row.reachBy) : null;
}

/** Stores a participant's cut-off plan (null clears it). */
export async function setParticipantPlan(
  tx: DbOrTx,
  meetingId: string,
  participantId: string,
  plan: CutoffPlan | null,
  at: Date,
): Promise<void> {
  await tx
    .update(participants)
    .set({
      planControlledBy: plan?.controlledBy ?? null,
      planReachBy: plan?.reachBy ?? null,
      updatedAt: at,
    })
    .where(and(eq(participants.id, participantId), eq(participants.meetingId, meetingId)));
}

/** Records a webhook id; false when it was already handled (a retry or a replay). */
export async function markWebhookProcessed(db: DbOrTx, id: string): Promise<boolean> {
  const inserted = await db
    .insert(processedWebhooks)
    .values({ id })
    .onConflictDoNothing()
    .returning({ id: processedWebhooks.id });
  return inserted.length > 0;
}
