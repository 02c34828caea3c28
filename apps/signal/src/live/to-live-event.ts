import type { StoredMeetingEvent } from '@polyphony/db';
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
