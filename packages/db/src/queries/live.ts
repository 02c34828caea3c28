import { and, desc, eq, inArray } from 'drizzle-orm';
import {
  guestSessions,
  liveChannels,
  meetingEvents,
  meetings,
  participants,
} from '../schema/index.ts';
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

/** A device's live channel as last seen (`device` is the guest session id, '' for staff). */
export interface LiveChannelRow {
  readonly participantId: string;
  readonly device: string;
  readonly seenAt: Date;
  readonly closedAt: Date | null;
}

/** The channel is up now: seen at `at`, not closed. */
export async function touchLiveChannel(
  db: Db,
  participantId: string,
  device: string,
  at: Date,
): Promise<void> {
  await db
    .insert(liveChannels)
    .values({ participantId, device, seenAt: at, closedAt: null })
    .onConflictDoUpdate({
      target: [liveChannels.participantId, liveChannels.device],
      set: { seenAt: at, closedAt: null },
    });
}

/** The channel closed at `at`. */
export async function closeLiveChannel(
  db: Db,
  participantId: string,
  device: string,
  at: Date,
): Promise<void> {
  await db
    .update(liveChannels)
    .set({ seenAt: at, closedAt: at })
    .where(and(eq(liveChannels.participantId, participantId), eq(liveChannels.device, device)));
}

/** The channels last seen for these participants. */
export async function liveChannelsOf(
  db: Db,
  participantIds: readonly string[],
): Promise<LiveChannelRow[]> {
  if (participantIds.length === 0) return [];
  return db
    .select()
    .from(liveChannels)
    .where(inArray(liveChannels.participantId, [...participantIds]));
}

/** When the last event of a meeting's log happened; null for an empty log. */
export async function lastEventAt(db: Db, meetingId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: meetingEvents.at })
    .from(meetingEvents)
    .where(eq(meetingEvents.meetingId, meetingId))
    .orderBy(desc(meetingEvents.seq))
    .limit(1);
  return row?.at ?? null;
}
