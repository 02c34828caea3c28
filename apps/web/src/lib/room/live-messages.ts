import type { MeetingEventType } from '@polyphony/domain';
import type { ClientMessage, LiveEvent, ServerMessage, WireEventOf } from '@polyphony/protocol';
import { isServerMessage } from 'virtual:checks';

/**
 * Whether each event changes what the room shows (mode, wishes, notices, who left); any other
 * only advances the sequence number. Keyed by every event type, so a new one must be decided.
 */
const CHANGES_ROOM = {
  'participant.invited': false,
  'participant.joined_lobby': false,
  'device.knocked': false,
  'admission.approved': false,
  'consent.given': false,
  'consent.withdrawn': false,
  'participant.admitted': false,
  'participant.declined': true,
  'participant.removed': true,
  'companions.changed': true,
  'mode.changed': true,
  'hand.raised': true,
  'record.added': false,
  'meeting.started': false,
  'meeting.ended': true,
  'participant.left': true,
  'settings.changed': true,
  'link.revoked': false,
  'media.displaced': true,
  'media.connected': false,
  'media.lost': false,
  'plan.changed': false,
} as const satisfies Record<MeetingEventType, boolean>;

type RoomEventType = {
  [T in MeetingEventType]: (typeof CHANGES_ROOM)[T] extends true ? T : never;
}[MeetingEventType];

/** The events that change what the room shows. */
export type RoomEvent = WireEventOf<RoomEventType>;

/** Parses one frame from the live channel; anything that fails the protocol schema is `null`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return isServerMessage(value) ? value : null;
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

/** The event as the room understands it, or `null` for events that do not change the room view. */
export function decodeRoomEvent(event: LiveEvent['event']): RoomEvent | null {
  return isRoomEvent(event) ? event : null;
}

function isRoomEvent(event: LiveEvent['event']): event is RoomEvent {
  return CHANGES_ROOM[event.type];
}
