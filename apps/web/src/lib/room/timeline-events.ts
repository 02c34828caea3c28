import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import {
  MEETING_EVENT_TYPES,
  MEETING_ROLES,
  RECORD_KINDS,
  type MeetingEventType,
  type RecordEntry,
} from '@polyphony/domain';
import type { LiveEvent } from '@polyphony/protocol';

// What the timeline and the live record read from the log's events (domain `MeetingEvent`,
// flattened by the signal service). Validated here, at the boundary; anything else is skipped.

const Names = Type.Array(Type.String());

/** The facts of one event that the timeline puts into words. */
const TimelineFacts = Type.Object({
  type: Type.Enum(MEETING_EVENT_TYPES as MeetingEventType[]),
  participantId: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
  role: Type.Optional(Type.Enum(MEETING_ROLES)),
  kind: Type.Optional(Type.String()),
  mode: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  added: Type.Optional(Names),
  removed: Type.Optional(Names),
});
export type TimelineFacts = Static<typeof TimelineFacts>;

/** One line of the timeline: when, and the event's facts. */
export interface TimelineItem {
  readonly seq: number;
  readonly at: string;
  readonly facts: TimelineFacts;
}

const RecordAdded = Type.Object({
  type: Type.Literal('record.added'),
  entryId: Type.String(),
  kind: Type.Enum(RECORD_KINDS),
  text: Type.String(),
  by: Type.String(),
  who: Type.Optional(Type.String()),
  when: Type.Optional(Type.String()),
  meetingAt: Type.Optional(Type.Number()),
  corrects: Type.Optional(Type.String()),
});

/** The event as a timeline line, or null if it is not a well-formed meeting event. */
export function timelineItem(live: LiveEvent): TimelineItem | null {
  if (!Value.Check(TimelineFacts, live.event)) return null;
  return { seq: live.seq, at: live.at, facts: live.event };
}

/** A shared-record entry from a `record.added` event, or null for any other event. */
export function recordEntryOf(live: LiveEvent): RecordEntry | null {
  const e = live.event;
  if (!Value.Check(RecordAdded, e)) return null;
  return {
    id: e.entryId,
    kind: e.kind,
    text: e.text,
    by: e.by,
    at: Date.parse(live.at),
    who: e.who ?? null,
    when: e.when ?? null,
    meetingAt: e.meetingAt ?? null,
    corrects: e.corrects ?? null,
  };
}

/** Merges events by sequence number (a resume or a reload may repeat some), in log order. */
export function mergeEvents(
  known: readonly LiveEvent[],
  incoming: readonly LiveEvent[],
): readonly LiveEvent[] {
  const bySeq = new Map(known.map((e) => [e.seq, e]));
  let changed = false;
  for (const e of incoming) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      changed = true;
    }
  }
  if (!changed) return known;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
