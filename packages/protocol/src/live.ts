import { Type, type Static } from 'typebox';
import { MEETING_ROLES, MODES } from '@polyphony/domain';

const Role = Type.Enum(MEETING_ROLES);
const ModeSchema = Type.Enum(MODES);

/** A person on the roster as everyone sees it. */
export const RosterEntry = Type.Object({
  participantId: Type.String(),
  displayName: Type.String(),
  role: Role,
  companions: Type.Array(Type.String()),
});
export type RosterEntry = Static<typeof RosterEntry>;

/** Where and how to connect to the SFU; sent only once admission is committed. */
export const MediaAccess = Type.Object({
  url: Type.String(),
  token: Type.String(),
  identity: Type.String(),
});
export type MediaAccess = Static<typeof MediaAccess>;

/**
 * First message on the live channel: the meeting as of its event `seq`. On a resume
 * (`?since=N`), the events N+1…seq follow the snapshot for the timeline; the snapshot already
 * includes their effect. Live events follow, in sequence order without gaps.
 */
export const LiveSnapshot = Type.Object({
  type: Type.Literal('snapshot'),
  seq: Type.Integer({ minimum: 0 }),
  meeting: Type.Object({ id: Type.String(), mode: ModeSchema, state: Type.String() }),
  me: RosterEntry,
  participants: Type.Array(RosterEntry),
  media: Type.Union([MediaAccess, Type.Null()]),
});
export type LiveSnapshot = Static<typeof LiveSnapshot>;

/** One event from the meeting's append-only log. */
export const LiveEvent = Type.Object({
  type: Type.Literal('event'),
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String(),
  event: Type.Object({ type: Type.String() }, { additionalProperties: true }),
});
export type LiveEvent = Static<typeof LiveEvent>;

/** Fresh media access (e.g. on admission or a permission change needing a new token). */
export const LiveMedia = Type.Object({ type: Type.Literal('media'), media: MediaAccess });
export type LiveMedia = Static<typeof LiveMedia>;

export const ServerMessage = Type.Union([LiveSnapshot, LiveEvent, LiveMedia]);
export type ServerMessage = Static<typeof ServerMessage>;

/** Messages a client may send on the live channel. */
export const ClientMessage = Type.Union([Type.Object({ type: Type.Literal('ping') })]);
export type ClientMessage = Static<typeof ClientMessage>;

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE_CODES = {
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  BAD_MESSAGE: 4400,
  TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
} as const;
