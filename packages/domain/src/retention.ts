import { initialMeetingState, type MeetingState, type MeetingStatus } from './meeting-state.ts';
import type { MeetingSettings } from './modes.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a meeting that nobody ended may stay quiet (no event in its log, not yet past its
 * scheduled time) before it counts as over: a scheduled meeting that never opened, or a live one
 * left open when everyone went home. A meeting in progress writes to its log at every join,
 * admission, mode switch and record entry, so a week of silence is never a meeting still running.
 */
export const ABANDONED_AFTER_MS = 7 * DAY_MS;

/** What the retention rule needs to know about one meeting (times in epoch milliseconds). */
export interface MeetingRetentionFacts {
  readonly status: MeetingStatus;
  readonly createdAt: number;
  /** Null for an immediate meeting. */
  readonly scheduledAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** When the last event of its log happened; null for an empty log. */
  readonly lastActivityAt: number | null;
  /**
   * The latest expiry among its links that are not revoked; null when it has none. Until then
   * someone may still use a link: to join, or after the end to read the shared record.
   */
  readonly linksUsableUntil: number | null;
}

/**
 * When a meeting stopped being a meeting: the end a facilitator recorded, or for one nobody
 * ended, {@link ABANDONED_AFTER_MS} after the last thing that happened to it (creation,
 * scheduled time, start, last event). Never before its creation.
 */
export function meetingClosedAt(facts: MeetingRetentionFacts): number {
  if (facts.status === 'ended' && facts.endedAt !== null) {
    return Math.max(facts.createdAt, facts.endedAt);
  }
  const quietSince = Math.max(
    facts.createdAt,
    facts.scheduledAt ?? facts.createdAt,
    facts.startedAt ?? facts.createdAt,
    facts.lastActivityAt ?? facts.createdAt,
  );
  return quietSince + ABANDONED_AFTER_MS;
}

/**
 * From when the meeting's personal data (log, participants, links, shared record) may be
 * purged: `retentionMs` after it closed ({@link meetingClosedAt}), and never while one of its
 * links still works — the people who attended read the record through their link until it
 * expires. Always at least `retentionMs` after the meeting's creation.
 */
export function purgeDueAt(facts: MeetingRetentionFacts, retentionMs: number): number {
  return Math.max(meetingClosedAt(facts) + retentionMs, facts.linksUsableUntil ?? -Infinity);
}

/**
 * Whether the meeting's personal data is due for the scheduled purge at `now` (product.md
 * section 9: "data kept is the minimum; retention is configurable and enforced").
 */
export function isDueForPurge(
  facts: MeetingRetentionFacts,
  now: number,
  retentionMs: number,
): boolean {
  return now >= purgeDueAt(facts, retentionMs);
}

/**
 * The state of a meeting whose log the retention purge removed: ended, with nobody in it and
 * nothing recorded. Its log cannot be replayed (it is gone), and an empty replay would be a
 * meeting never opened, which `decide` would let someone start again; ended, it refuses every
 * command (`MEETING_ENDED`) like any ended meeting.
 */
export function purgedMeetingState(settings: MeetingSettings): MeetingState {
  return { ...initialMeetingState(settings), status: 'ended' };
}

/** Who reads a record: someone who was in the room, through their own link, or staff. */
export type RecordReaderKind =
  { readonly kind: 'link'; readonly linkExpiresAt: number } | { readonly kind: 'staff' };

/**
 * Until when a reader can read an ended meeting's shared record, so the record can say so: a
 * person who was in the room through their own link until it expires, staff until the purge
 * ({@link purgeDueAt}; never before a link that still works, so a link holder's date is never
 * later). Null while the meeting has not ended: its purge date keeps moving until then.
 */
export function recordReadableUntil(
  facts: MeetingRetentionFacts,
  reader: RecordReaderKind,
  retentionMs: number,
): number | null {
  if (facts.status !== 'ended') return null;
  const purge = purgeDueAt(facts, retentionMs);
  return reader.kind === 'staff' ? purge : Math.min(reader.linkExpiresAt, purge);
}
