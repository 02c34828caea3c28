import type { RecordEntry } from '@polyphony/domain';
import type { LiveEvent, WireMeetingEvent } from '@polyphony/protocol';

// What the timeline and the live record read from the log's events. The events were checked
// against the protocol's schemas where they arrived (the live channel, the timeline response).

/** The facts of one event that the timeline puts into words. */
export type TimelineFacts = WireMeetingEvent;

/** One line of the timeline: when, and the event's facts. */
export interface TimelineItem {
  readonly seq: number;
  readonly at: string;
  readonly facts: TimelineFacts;
}

/**
 * The event as a timeline line, or null if it is not a well-formed meeting event or not worth a
 * line (a connection coming up is news only when it comes back after a loss).
 */
export function timelineItem(live: LiveEvent): TimelineItem | null {
  if (live.event.type === 'media.connected' && live.event.back !== true) return null;
  return { seq: live.seq, at: live.at, facts: live.event };
}

/** A shared-record entry from a `record.added` event, or null for any other event. */
export function recordEntryOf(live: LiveEvent): RecordEntry | null {
  const e = live.event;
  if (e.type !== 'record.added') return null;
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
