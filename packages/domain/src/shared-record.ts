import { maySeeLobby } from './live-audience.ts';
import { findParticipant, type MeetingState, type RecordEntry } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';

/** An entry as the record shows it: with the later entry that corrects it, if any. */
export interface SharedRecordItem extends RecordEntry {
  /** The id of the latest entry that corrects this one; the entry itself stays as written. */
  readonly correctedBy: string | null;
}

export interface SharedRecord {
  /** Every entry in the order written; nothing is ever edited or removed. */
  readonly items: readonly SharedRecordItem[];
  /** The agreed next meeting: the latest next-meeting entry that no later entry corrects. */
  readonly nextMeeting: SharedRecordItem | null;
}

/**
 * The shared record as people read it, during and after the meeting. Corrections are new
 * entries (a family keeps what was said, and sees that it was corrected and how), so each entry
 * only learns which entry corrects it.
 */
export function sharedRecord(entries: readonly RecordEntry[]): SharedRecord {
  const correctedBy = new Map<string, string>();
  for (const e of entries) if (e.corrects !== null) correctedBy.set(e.corrects, e.id);
  const items = entries.map((e) => ({ ...e, correctedBy: correctedBy.get(e.id) ?? null }));
  const agreed = items.filter((e) => e.kind === 'next_meeting' && e.correctedBy === null);
  return { items, nextMeeting: agreed.at(-1) ?? null };
}

/**
 * Whether a participant may read the meeting's record and its log (the timeline). While the
 * meeting runs: those in the room, as on the live channel (someone waiting or asked to step
 * out sees nothing of the room). Once it has ended: everyone who was let in at least once, so
 * that a family can keep what was decided; never someone who was never admitted.
 */
export function mayReadMeetingLog(state: MeetingState, participantId: string): boolean {
  const viewer = findParticipant(state, participantId);
  if (viewer === undefined) return false;
  if (state.status === 'ended') return viewer.admissionNumber > 0;
  return PRESENCE[viewer.state] === 'media';
}

/**
 * Whose names the timeline may show a reader (`null`: staff reading through the staff app):
 * people who have been in the room (everyone there saw them), oneself, and for those who hold
 * a key to the door, also the people who knocked. Anyone else is "someone".
 */
export function namesShownInTimeline(
  state: MeetingState,
  readerId: string | null,
): ReadonlySet<string> {
  const reader = readerId === null ? undefined : findParticipant(state, readerId);
  const everyone = readerId === null || (reader !== undefined && maySeeLobby(reader));
  return new Set(
    state.participants
      .filter((p) => everyone || p.admissionNumber > 0 || p.id === readerId)
      .map((p) => p.id),
  );
}

/** What asking to join with one's own usable link does (`POST /api/invites/:token/join`). */
export type LinkUse = 'knock' | 'read_record';

/**
 * `read_record` once the meeting has ended, for someone let in at least once: a new read-only
 * session for the record and timeline (no knock, no media), so a family whose browser forgot
 * them can still keep what was decided. Everyone else knocks as before, which `decide` refuses
 * once the meeting has ended: a link never used to get in gives nothing more after the end.
 */
export function linkUse(state: MeetingState, participantId: string): LinkUse {
  return state.status === 'ended' && mayReadMeetingLog(state, participantId)
    ? 'read_record'
    : 'knock';
}
