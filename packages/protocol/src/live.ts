import { Type, type Static } from 'typebox';
import { InterpretedLanguage, MeetingRoleSchema, ModeSchema } from './common.ts';
import { AdmissionView, LobbyEntry } from './participants.ts';
import { WireMeetingEvent } from './live-events.ts';

/** A person on the roster as everyone sees it. */
export const RosterEntry = Type.Object({
  participantId: Type.String(),
  displayName: Type.String(),
  role: MeetingRoleSchema,
  /** The language an interpreter interprets ("Interpreter — Arabic"); null for other roles. */
  language: InterpretedLanguage,
  companions: Type.Array(Type.String()),
  /**
   * The LiveKit identity this person may hold now (`<participantId>.<admission>`), null when
   * none. Each page lets only these identities subscribe to its tracks, so a replayed token for
   * an identity that is not current receives no frame even if it carries rights.
   */
  mediaIdentity: Type.Union([Type.String(), Type.Null()]),
  /** Their media connection (presence is connection, not admission): see domain `connection.ts`. */
  connection: Type.Union([
    Type.Literal('connecting'),
    Type.Literal('connected'),
    Type.Literal('lost'),
  ]),
  /** When their connection was lost (epoch ms); null unless `connection` is `lost`. */
  lostAt: Type.Union([Type.Number(), Type.Null()]),
  /**
   * Their "if we get cut off" plan (null: none declared). Present only where the viewer may
   * see it (domain `maySeePlanOf`): one's own, and everyone's for facilitators and
   * cofacilitators in the room. Absent for everyone else.
   */
  plan: Type.Optional(
    Type.Union([Type.Object({ controlledBy: Type.String(), reachBy: Type.String() }), Type.Null()]),
  ),
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
  meeting: Type.Object({
    id: Type.String(),
    mode: ModeSchema,
    state: Type.String(),
    /**
     * Whether this meeting's media is end-to-end encrypted (the `endToEndEncrypted` setting):
     * every page of the meeting follows it, so they all agree.
     */
    encrypted: Type.Boolean(),
  }),
  me: RosterEntry,
  participants: Type.Array(RosterEntry),
  media: Type.Union([MediaAccess, Type.Null()]),
  /**
   * A guest session's CSRF token, so that a tab which lost the one it got at the knock can still
   * act (the channel is authenticated by the session cookie and checks Origin). Absent for staff,
   * who get theirs from `/api/me`.
   */
  csrfToken: Type.Optional(Type.String()),
});
export type LiveSnapshot = Static<typeof LiveSnapshot>;

/** One event from the meeting's append-only log, typed from the domain's events. */
export const LiveEvent = Type.Object({
  type: Type.Literal('event'),
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String(),
  event: WireMeetingEvent,
});
export type LiveEvent = Static<typeof LiveEvent>;

/**
 * Who is in the room, sent to people in the room whenever it changes (an admission, a removal,
 * someone leaving, a companion change) and once after the snapshot. Replaces the roster.
 */
export const LiveRoster = Type.Object({
  type: Type.Literal('roster'),
  seq: Type.Integer({ minimum: 0 }),
  participants: Type.Array(RosterEntry),
});
export type LiveRoster = Static<typeof LiveRoster>;

/**
 * The waiting room with companions and consent state, for those in the room who hold a key to
 * the door (facilitators, cofacilitators, the centre person). Sent after the snapshot and
 * whenever the waiting room changes; replaces the previous one.
 */
export const LiveLobby = Type.Object({
  type: Type.Literal('lobby'),
  seq: Type.Integer({ minimum: 0 }),
  hasCentrePerson: Type.Boolean(),
  waiting: Type.Array(LobbyEntry),
});
export type LiveLobby = Static<typeof LiveLobby>;

/**
 * One's own place at the door (waiting, admitted, stepped out, declined with `retryAt`, left):
 * sent to everyone after the snapshot and whenever it changes. People outside the room receive
 * only this, their own events and the meeting's start and end.
 */
export const LiveAdmission = Type.Object({
  type: Type.Literal('admission'),
  seq: Type.Integer({ minimum: 0 }),
  admission: AdmissionView,
});
export type LiveAdmission = Static<typeof LiveAdmission>;

/**
 * "The end-to-end encryption relay has something new for the room": a device key posted, key
 * copies left, a resend asked (ADR 0035). It carries nothing; a page in the room reads the relay
 * at once instead of at its next poll. Sent to people in the room only.
 */
export const LiveKeys = Type.Object({ type: Type.Literal('keys') });
export type LiveKeys = Static<typeof LiveKeys>;

export const ServerMessage = Type.Union([
  LiveSnapshot,
  LiveEvent,
  LiveRoster,
  LiveLobby,
  LiveAdmission,
  LiveKeys,
]);
export type ServerMessage = Static<typeof ServerMessage>;

/**
 * "This LiveKit connection is mine": sent by an admitted page once connected to LiveKit, with
 * its participant sid. Tokens carry no media rights; the server grants them to this connection
 * only if the database says the identity is current and LiveKit says `sid` holds it (ADR 0014).
 */
export const ClientSeat = Type.Object({
  type: Type.Literal('seat'),
  sid: Type.String({ minLength: 1, maxLength: 64, pattern: '^PA_[A-Za-z0-9]+$' }),
});
export type ClientSeat = Static<typeof ClientSeat>;

/**
 * "My LiveKit connection was pushed out by another one using my identity" (LiveKit's
 * duplicate-identity disconnect): the server tells facilitators; the page reconnects.
 */
export const ClientDisplaced = Type.Object({ type: Type.Literal('displaced') });

/** Messages a client may send on the live channel. */
export const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('ping') }),
  ClientSeat,
  ClientDisplaced,
]);
export type ClientMessage = Static<typeof ClientMessage>;

/**
 * WebSocket close codes (4000–4999 are ours; 1012 and 1013 are the standard "service restart"
 * and "try again later").
 */
export const CLOSE_CODES = {
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  BAD_MESSAGE: 4400,
  TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  /** This device's place moved to another device of the same person (their link). */
  MOVED: 4409,
  /** The server cannot serve the channel right now (its database is down): reconnect later. */
  TRY_AGAIN_LATER: 1013,
  /**
   * This node is shutting down (draining, on SIGTERM): reconnect at once, without backoff;
   * another node serves the same meeting, and `?since=` resumes where this channel stopped.
   */
  GO_ELSEWHERE: 1012,
} as const;
