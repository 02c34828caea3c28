import type { ClientMessage, LiveEvent, ServerMessage } from '@polyphony/protocol';
import { isRoomEvent, isServerMessage } from 'virtual:checks';
import type { RoomEvent } from './event-schemas.ts';

export type { RoomEvent };

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
