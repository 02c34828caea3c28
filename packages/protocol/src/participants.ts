import { Type, type Static } from 'typebox';
import {
  MAX_COMPANION_NAME,
  MAX_COMPANIONS,
  MAX_PLAN_CONTROLLER,
  MAX_PLAN_REACH,
} from '@polyphony/domain';
import {
  CareTeam,
  MeetingHost,
  MeetingRoleSchema,
  ModeSchema,
  ParticipantStateSchema,
  Timestamp,
  Uuid,
} from './common.ts';
import { Body, FilledLine, Line } from './text.ts';

/** `:token` of a personal link (the secret itself, as in `PUBLIC_ORIGIN/join/<token>`). */
export const InviteTokenParams = Type.Object({
  token: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
});
export type InviteTokenParams = Static<typeof InviteTokenParams>;

/**
 * What Polyphony keeps and does not keep, shown on the pre-join page (product.md sections 4.8
 * and 5). Constant today; a field so that a future change is a visible contract change.
 */
export const RecordingDisclosure = Type.Object({
  /** Audio and video are never recorded. */
  audioVideoRecorded: Type.Literal(false),
  /** The shared record (decisions, next steps, open questions) is written down and kept. */
  sharedRecordKept: Type.Literal(true),
  /** The event timeline (joins, admissions, mode switches) is kept. */
  timelineKept: Type.Literal(true),
  /** Facilitators see speaking-time shares, computed in their browser and never stored. */
  speakingTimeShownToFacilitators: Type.Literal(true),
  speakingTimeStored: Type.Literal(false),
});
export type RecordingDisclosure = Static<typeof RecordingDisclosure>;

/** `GET /api/invites/:token`: what the pre-join page shows. */
export const InvitePreview = Type.Object({
  meeting: Type.Object({
    id: Uuid,
    state: Type.Enum(['scheduled', 'live', 'ended'] as const),
    /** Null for an immediate meeting. */
    scheduledAt: Type.Union([Timestamp, Type.Null()]),
  }),
  /** The network's core team, by display name. */
  team: CareTeam,
  /** The organisation holding the meeting and how to reach it. */
  organisation: MeetingHost,
  /** The role the link carries. */
  role: MeetingRoleSchema,
  /** The name staff know the invitee by; the person may change it. */
  suggestedName: Type.String(),
  /** Whether the meeting has a centre person (without one, a facilitator alone lets people in). */
  hasCentrePerson: Type.Boolean(),
  recording: RecordingDisclosure,
});
export type InvitePreview = Static<typeof InvitePreview>;

const DisplayName = FilledLine(100);
const Companions = Type.Array(Line(MAX_COMPANION_NAME), { maxItems: MAX_COMPANIONS });

/** `POST /api/invites/:token/join`: knock, with the name to show and who is in the room. */
/**
 * A device's "if we get cut off" plan as typed: who controls this device, and how the team
 * should reach them if the call drops. Both may be empty (two empty fields clear the plan).
 * Only facilitators and cofacilitators in the room see someone else's (domain `maySeePlanOf`).
 */
export const CutoffPlanInput = Body({
  controlledBy: Line(MAX_PLAN_CONTROLLER),
  reachBy: Line(MAX_PLAN_REACH),
});
export type CutoffPlanInput = Static<typeof CutoffPlanInput>;

export const JoinRequest = Body({
  displayName: DisplayName,
  companions: Companions,
  /** Optional "if we get cut off" plan; absent keeps what this person declared before. */
  plan: Type.Optional(CutoffPlanInput),
});
export type JoinRequest = Static<typeof JoinRequest>;

/**
 * A session in a meeting. `csrfToken` goes in the `X-CSRF-Token` header of every POST, PATCH
 * and DELETE made with this session's cookie. `readOnly`: the meeting has ended and the session
 * only reads the shared record and timeline (someone let in at least once, coming back through
 * their own link; `linkUse` in the domain); no knock, no media.
 */
export const MeetingSessionResponse = Type.Object({
  meetingId: Uuid,
  participantId: Uuid,
  csrfToken: Type.String(),
  readOnly: Type.Boolean(),
});
export type MeetingSessionResponse = Static<typeof MeetingSessionResponse>;

/** `:id` and `:pid` in a path. */
export const ParticipantParams = Type.Object({ id: Uuid, pid: Uuid });
export type ParticipantParams = Static<typeof ParticipantParams>;

/** `PATCH /api/meetings/:id/participants/me`. */
export const UpdateMeRequest = Body(
  {
    companions: Type.Optional(Companions),
    /** `true`: "I'd like to respond" (during a reflection). */
    wishToRespond: Type.Optional(Type.Literal(true)),
    /** A new "if we get cut off" plan (two empty fields clear it). */
    plan: Type.Optional(CutoffPlanInput),
  },
  { minProperties: 1 },
);
export type UpdateMeRequest = Static<typeof UpdateMeRequest>;

/** `POST /api/meetings/:id/mode`. */
export const ModeRequest = Body({ mode: ModeSchema });
export type ModeRequest = Static<typeof ModeRequest>;

/**
 * `POST /api/meetings/:id/settings`: the settings named change, the others stay. Turning
 * end-to-end encryption off is announced to everyone in the room and kept in the log.
 */
export const SettingsRequest = Body(
  {
    networkCamerasInReflection: Type.Optional(Type.Boolean()),
    endToEndEncrypted: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
export type SettingsRequest = Static<typeof SettingsRequest>;

/** Answer to every meeting command: the log's sequence number after it (unchanged for a repeat). */
export const CommandResponse = Type.Object({ seq: Type.Integer({ minimum: 0 }) });
export type CommandResponse = Static<typeof CommandResponse>;

/** A waiting person as the people holding a key to the door see them. */
export const LobbyEntry = Type.Object({
  participantId: Uuid,
  displayName: Type.String(),
  role: MeetingRoleSchema,
  state: ParticipantStateSchema,
  companions: Type.Array(Type.Object({ name: Type.String(), agreed: Type.Boolean() })),
  /** Which rule lets them in: core team, facilitator alone, two keys, or no centre person. */
  basis: Type.Enum(['core_team', 'facilitator', 'two_keys', 'no_centre_person'] as const),
  needsFacilitator: Type.Boolean(),
  facilitatorAgreed: Type.Boolean(),
  needsCentre: Type.Boolean(),
  centreAgreed: Type.Boolean(),
  pendingCompanions: Type.Array(Type.String()),
  /** The person is in the room on one device and their link knocks from another. */
  fromAnotherDevice: Type.Optional(Type.Boolean()),
});
export type LobbyEntry = Static<typeof LobbyEntry>;

/** One's own place at the door, as the waiting person sees it. */
export const AdmissionView = Type.Object({
  state: ParticipantStateSchema,
  role: MeetingRoleSchema,
  admissionNumber: Type.Integer({ minimum: 0 }),
  companions: Type.Array(Type.Object({ name: Type.String(), agreed: Type.Boolean() })),
  /** After a "not now": when knocking again is allowed; null otherwise. */
  retryAt: Type.Union([Timestamp, Type.Null()]),
  hasCentrePerson: Type.Boolean(),
  linkRevoked: Type.Boolean(),
  /** In the room on this device, and the same link knocks from another device. */
  otherDeviceKnocking: Type.Optional(Type.Boolean()),
});
export type AdmissionView = Static<typeof AdmissionView>;

/**
 * `POST /api/meetings/:id/participants/me` (signed-in staff): open the meeting as one's own
 * participant. Core-team staff get a place on first use and go straight in; knocking again
 * after being asked to leave brings them back. A guest's session knocks again with it from the
 * same page (after leaving or a "not now"), naming who is with them.
 */
export const EnterMeetingRequest = Body({ companions: Type.Optional(Companions) });
export type EnterMeetingRequest = Static<typeof EnterMeetingRequest>;

export const EnterMeetingResponse = Type.Object({
  meetingId: Uuid,
  participantId: Uuid,
  seq: Type.Integer({ minimum: 0 }),
});
export type EnterMeetingResponse = Static<typeof EnterMeetingResponse>;
