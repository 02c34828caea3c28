import { toMeetingEvent, type StoredMeetingEvent } from '@polyphony/db';
import type { MeetingEvent } from '@polyphony/domain';
import { toWireEvent, type LiveEvent } from '@polyphony/protocol';

/**
 * A committed event of a meeting's log as the hub carries it to connections: the domain event
 * itself (connections fold it into their state as it is) with its sequence number and the
 * participant who caused it. It becomes a wire frame only when a connection sends it.
 */
export interface CommittedEvent {
  readonly seq: number;
  readonly event: MeetingEvent;
  readonly actorParticipantId: string | null;
}

/** A stored row as the hub carries it. */
export function committed(row: StoredMeetingEvent): CommittedEvent {
  return { seq: row.seq, event: toMeetingEvent(row), actorParticipantId: row.actorParticipantId };
}

/** The event as it travels on the live channel and in the timeline; actors as participant ids. */
export function toLiveEvent(c: CommittedEvent): LiveEvent {
  return {
    type: 'event',
    seq: c.seq,
    at: new Date(c.event.at).toISOString(),
    event: toWireEvent(c.event, c.actorParticipantId),
  };
}

const frames = new WeakMap<CommittedEvent, string>();

/**
 * The live channel frame of an event, serialised once however many connections send it (the
 * hub hands the same object to every connection of the meeting on this node).
 */
export function liveFrame(c: CommittedEvent): string {
  let frame = frames.get(c);
  if (frame === undefined) {
    frame = JSON.stringify(toLiveEvent(c));
    frames.set(c, frame);
  }
  return frame;
}
