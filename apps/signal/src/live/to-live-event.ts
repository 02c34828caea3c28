import type { StoredMeetingEvent } from '@polyphony/db';
import type { MeetingEvent } from '@polyphony/domain';
import type { LiveEvent } from '@polyphony/protocol';

/** A stored event as it travels on the live channel; actors travel as participant ids only. */
export function toLiveEvent(e: StoredMeetingEvent): LiveEvent {
  return {
    type: 'event',
    seq: e.seq,
    at: e.at.toISOString(),
    event: {
      ...e.payload,
      type: e.type,
      ...(e.actorParticipantId ? { actorParticipantId: e.actorParticipantId } : {}),
    },
  };
}

/** The domain event a live event carries (for folding into a connection's own state). */
export function fromLiveEvent(e: LiveEvent): MeetingEvent {
  const { actorParticipantId: _actor, ...event } = e.event as Record<string, unknown>;
  return { ...event, at: Date.parse(e.at) } as unknown as MeetingEvent;
}
