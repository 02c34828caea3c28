import { Type, type Static } from 'typebox';
import {
  InterpretedLanguage,
  LanguageTag,
  MeetingRoleSchema,
  ModeSchema,
  ParticipantStateSchema,
  Timestamp,
  Uuid,
} from './common.ts';
import { Body, Line } from './text.ts';

export const MEETING_KINDS = ['immediate', 'scheduled'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** A meeting's lifecycle: `scheduled` (not started), `live`, `ended`. */
export const MEETING_STATES = ['scheduled', 'live', 'ended'] as const;
export type MeetingLifecycle = (typeof MEETING_STATES)[number];

/** A meeting in lists (dashboard, a network's meetings). */
export const MeetingSummary = Type.Object({
  id: Uuid,
  networkId: Uuid,
  networkLabel: Type.String(),
  kind: Type.Enum(MEETING_KINDS),
  state: Type.Enum(MEETING_STATES),
  mode: ModeSchema,
  /** Null for an immediate meeting. */
  scheduledAt: Type.Union([Timestamp, Type.Null()]),
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  /**
   * When the retention purge removed the meeting's personal data (its links, who took part,
   * the record and the timeline); null until then. Its times stay for the dashboard figures.
   */
  purgedAt: Type.Union([Timestamp, Type.Null()]),
});
export type MeetingSummary = Static<typeof MeetingSummary>;

/**
 * A personal link as staff see it later (the token itself is shown only once, on creation).
 * Exactly one of `memberId`/`staffId` is set; `name` is the member's name or the staff
 * member's display name. `used`: someone has opened the link and knocked.
 */
export const Invite = Type.Object({
  id: Uuid,
  memberId: Type.Union([Uuid, Type.Null()]),
  staffId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
  role: MeetingRoleSchema,
  /** The language an interpreter's link names; null for every other role. */
  language: InterpretedLanguage,
  expiresAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  used: Type.Boolean(),
  createdAt: Timestamp,
});
export type Invite = Static<typeof Invite>;

/** Head-counts by participant state, and how many core-team staff are in the room. */
export const ParticipantsSummary = Type.Object({
  byState: Type.Record(ParticipantStateSchema, Type.Integer({ minimum: 0 })),
  /** Admitted participants with role facilitator, cofacilitator or team. */
  reflectingTeamAdmitted: Type.Integer({ minimum: 0 }),
  /**
   * True for a live meeting with fewer than two of the reflecting team admitted (fidelity
   * element "two or more therapists"); the UI shows a gentle warning.
   */
  fewerThanTwoTeam: Type.Boolean(),
});
export type ParticipantsSummary = Static<typeof ParticipantsSummary>;

/** `GET /api/meetings/:id`. Invites in creation order. */
export const MeetingDetail = Type.Object({
  meeting: MeetingSummary,
  invites: Type.Array(Invite),
  participants: ParticipantsSummary,
  /** Whether the operator configured an SMTP relay: links may then be sent by e-mail. */
  canEmailLinks: Type.Boolean(),
});
export type MeetingDetail = Static<typeof MeetingDetail>;

/** A link just made: the only time `token` and `url` (`PUBLIC_ORIGIN/join/<token>`) are shown. */
export const CreatedInvite = Type.Object({
  invite: Invite,
  token: Type.String(),
  url: Type.String(),
});
export type CreatedInvite = Static<typeof CreatedInvite>;

/**
 * `POST /api/networks/:id/meetings`. `scheduledAt` is required for `scheduled` and refused for
 * `immediate` (which is live at once). `inviteEveryone: true` also makes a link for every
 * network member and core-team staff member (as `POST /api/meetings/:id/invites/bulk`).
 */
export const CreateMeetingRequest = Body({
  kind: Type.Enum(MEETING_KINDS),
  scheduledAt: Type.Optional(Timestamp),
  inviteEveryone: Type.Optional(Type.Boolean()),
});
export type CreateMeetingRequest = Static<typeof CreateMeetingRequest>;

/** Answer to `POST /api/networks/:id/meetings`; `links` is empty unless `inviteEveryone`. */
export const CreateMeetingResponse = Type.Object({
  meeting: MeetingDetail,
  links: Type.Array(CreatedInvite),
});
export type CreateMeetingResponse = Static<typeof CreateMeetingResponse>;

/**
 * `POST /api/meetings/:id/invites`: exactly one of `memberId` (a network member) or `staffId`
 * (staff of the organisation). Without `role` it is derived: centre member → centre, other
 * members → network, the meeting's creator → facilitator, other core-team staff → team,
 * other staff → observer. An explicit role must fit the person (members: centre only for the
 * centre person, network, observer, interpreter; staff: facilitator, cofacilitator, team,
 * observer, interpreter). `language` is required for an interpreter and refused for any other
 * role (domain `inviteLanguage`).
 */
export const CreateInviteRequest = Body({
  memberId: Type.Optional(Uuid),
  staffId: Type.Optional(Uuid),
  role: Type.Optional(MeetingRoleSchema),
  language: Type.Optional(LanguageTag),
});
export type CreateInviteRequest = Static<typeof CreateInviteRequest>;

/**
 * `POST /api/meetings/:id/invites/:inviteId/email`: send a link just made to an e-mail address.
 * The server keeps only the token's hash, so the page that was shown the link sends its token
 * back; it must be this link's and still usable. The address is used once and never stored.
 */
const MAILBOX = '[^\\s@<>,;:"\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]+';

export const EmailInviteRequest = Body({
  /** One plain address: no display name, no list, no white space or control character. */
  to: Type.String({
    format: 'email',
    minLength: 3,
    maxLength: 254,
    pattern: `^${MAILBOX}@${MAILBOX}\\.${MAILBOX}$`,
  }),
  token: Line(100, 1),
});
export type EmailInviteRequest = Static<typeof EmailInviteRequest>;

export const EmailInviteResponse = Type.Object({ sent: Type.Literal(true) });
export type EmailInviteResponse = Static<typeof EmailInviteResponse>;

/**
 * `POST /api/meetings/:id/invites/bulk`: a link for every network member and core-team staff
 * member who has no usable link yet, roles derived as above.
 */
export const BulkInvitesResponse = Type.Object({ links: Type.Array(CreatedInvite) });
export type BulkInvitesResponse = Static<typeof BulkInvitesResponse>;

export const InviteParams = Type.Object({ id: Uuid, inviteId: Uuid });
export type InviteParams = Static<typeof InviteParams>;

/** `GET /api/meetings?state=upcoming|live`: the organisation's meetings, soonest first. */
export const MeetingListQuery = Type.Object(
  { state: Type.Enum(['upcoming', 'live'] as const) },
  { additionalProperties: false },
);
export type MeetingListQuery = Static<typeof MeetingListQuery>;

export const MeetingListResponse = Type.Object({ meetings: Type.Array(MeetingSummary) });
export type MeetingListResponse = Static<typeof MeetingListResponse>;
