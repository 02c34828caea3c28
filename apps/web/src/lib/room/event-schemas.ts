import { Type, type Static } from 'typebox';
import {
  MEETING_EVENT_TYPES,
  MEETING_ROLES,
  MODES,
  RECORD_KINDS,
  type MeetingEventType,
} from '@polyphony/domain';

// What the room reads from the log's events (domain `MeetingEvent`, flattened by the signal
// service; the protocol carries them as `{ type, ... }`). Compiled into checks at build time
// (`virtual:checks`); the browser imports only the types from here.

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
  /** Who said "not now" or asked them to leave (a participant id). */
  by: Type.Optional(Type.String()),
  /** About a knock from another device of someone in the room: the seat stays. */
  otherDevice: Type.Optional(Type.Boolean()),
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

/** A second connection used someone's media identity; they kept their seat. */
const MediaDisplaced = Type.Object({
  type: Type.Literal('media.displaced'),
  participantId: Type.String(),
});

/** The events that change what the room shows; any other only advances the sequence number. */
export const RoomEvent = Type.Union([
  ModeChanged,
  ParticipantGone,
  CompanionsChanged,
  HandRaised,
  MeetingEnded,
  MediaDisplaced,
]);
export type RoomEvent = Static<typeof RoomEvent>;

const Names = Type.Array(Type.String());

/** The facts of one event that the timeline puts into words. */
export const TimelineFacts = Type.Object({
  type: Type.Enum(MEETING_EVENT_TYPES as MeetingEventType[]),
  participantId: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
  role: Type.Optional(Type.Enum(MEETING_ROLES)),
  kind: Type.Optional(Type.String()),
  mode: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  added: Type.Optional(Names),
  removed: Type.Optional(Names),
  otherDevice: Type.Optional(Type.Boolean()),
  /** `media.connected` after a loss. */
  back: Type.Optional(Type.Boolean()),
});
export type TimelineFacts = Static<typeof TimelineFacts>;

/** An entry written in the shared record. */
export const RecordAdded = Type.Object({
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
export type RecordAdded = Static<typeof RecordAdded>;
