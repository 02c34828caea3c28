import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { MODES } from '@polyphony/domain';
import { ServerMessage, type ClientMessage, type LiveEvent } from '@polyphony/protocol';

/** Parses one frame from the live channel; anything that fails the protocol schema is `null`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return Value.Check(ServerMessage, value) ? value : null;
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

// The log events (domain `MeetingEvent`, flattened by the signal service) that change what the
// room shows. Any other event type only advances the sequence number.
const Mode = Type.Union(MODES.map((mode) => Type.Literal(mode)));

const ModeChanged = Type.Object({
  type: Type.Literal('mode.changed'),
  mode: Mode,
  /** On return to dialogue: who asked to respond, first asked first. */
  respondOrder: Type.Optional(Type.Array(Type.String())),
});

/** Someone is no longer in the room. */
const ParticipantGone = Type.Object({
  type: Type.Union([
    Type.Literal('participant.left'),
    Type.Literal('participant.removed'),
    Type.Literal('participant.declined'),
  ]),
  participantId: Type.String(),
});

/** A device changed who is with them; announced to everyone. */
const CompanionsChanged = Type.Object({
  type: Type.Literal('companions.changed'),
  participantId: Type.String(),
  added: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
});

/** "I'd like to respond", raised during a reflection. */
const HandRaised = Type.Object({
  type: Type.Literal('hand.raised'),
  participantId: Type.String(),
});

const MeetingEnded = Type.Object({ type: Type.Literal('meeting.ended') });

const RoomEvent = Type.Union([
  ModeChanged,
  ParticipantGone,
  CompanionsChanged,
  HandRaised,
  MeetingEnded,
]);
export type RoomEvent = Static<typeof RoomEvent>;

/** The event as the room understands it, or `null` for events that do not change the room view. */
export function decodeRoomEvent(event: LiveEvent['event']): RoomEvent | null {
  return Value.Check(RoomEvent, event) ? event : null;
}
