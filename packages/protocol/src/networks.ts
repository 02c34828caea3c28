import { Type, type Static } from 'typebox';
import { IMMEDIATE_HELP } from '@polyphony/domain';
import { StaffRoleSchema, Timestamp, Uuid } from './common.ts';
import { CreateMeetingResponse, MeetingSummary } from './meetings.ts';
import { Body, FilledLine, Line } from './text.ts';

/** A staff member on a network's core team. */
export const CoreTeamMember = Type.Object({
  staffId: Uuid,
  displayName: Type.String(),
  role: StaffRoleSchema,
});
export type CoreTeamMember = Static<typeof CoreTeamMember>;

/**
 * A person in the network. `preApprovedAt`/`preApprovedBy` record the centre person's advance
 * consent to this person: when, and which staff member wrote it down.
 */
export const NetworkMember = Type.Object({
  id: Uuid,
  name: Type.String(),
  relationship: Type.String(),
  isCentre: Type.Boolean(),
  preApprovedAt: Type.Union([Timestamp, Type.Null()]),
  preApprovedBy: Type.Union([Uuid, Type.Null()]),
});
export type NetworkMember = Static<typeof NetworkMember>;

/** A network's dashboard figures (product.md section 6), computed by the server at request time. */
export const NetworkFigures = Type.Object({
  /** When the first meeting started; null if none has. */
  firstMeetingAt: Type.Union([Timestamp, Type.Null()]),
  /** Minutes from first contact to the first meeting's start; null if none has started. */
  minutesToFirstMeeting: Type.Union([Type.Integer(), Type.Null()]),
  /** `within_24h`, `after_24h` (flagged), `waiting`, `overdue` (flagged): see the domain. */
  immediateHelp: Type.Enum(IMMEDIATE_HELP),
  /** True for `after_24h` and `overdue`. */
  flagged: Type.Boolean(),
  /** Meetings that started (live or ended). */
  meetingsHeld: Type.Integer({ minimum: 0 }),
  /** Held meetings attended (admitted) by at least two core-team members. */
  meetingsWithTwoCoreTeam: Type.Integer({ minimum: 0 }),
  /** `meetingsWithTwoCoreTeam / meetingsHeld`, 0…1; null when no meeting was held. */
  continuity: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
});
export type NetworkFigures = Static<typeof NetworkFigures>;

/** A network in the dashboard list. */
export const NetworkSummary = Type.Object({
  id: Uuid,
  label: Type.String(),
  firstContactAt: Timestamp,
  createdAt: Timestamp,
  coreTeam: Type.Array(CoreTeamMember),
  memberCount: Type.Integer({ minimum: 0 }),
  figures: NetworkFigures,
  /** When the team closed the care episode; null while it is open. */
  closedAt: Type.Union([Timestamp, Type.Null()]),
});
export type NetworkSummary = Static<typeof NetworkSummary>;

/** `GET /api/networks`: the organisation's networks, most recent first contact first. */
export const NetworkListResponse = Type.Object({ networks: Type.Array(NetworkSummary) });
export type NetworkListResponse = Static<typeof NetworkListResponse>;

/** `GET /api/networks/:id` (and the answer to `POST /api/networks`). Meetings newest first. */
export const NetworkDetail = Type.Object({
  id: Uuid,
  label: Type.String(),
  firstContactAt: Timestamp,
  createdAt: Timestamp,
  coreTeam: Type.Array(CoreTeamMember),
  members: Type.Array(NetworkMember),
  meetings: Type.Array(MeetingSummary),
  figures: NetworkFigures,
  /** When the team closed the care episode; null while it is open. */
  closedAt: Type.Union([Timestamp, Type.Null()]),
  /** When the retention purge removed its members (after the episode closed); null before. */
  membersPurgedAt: Type.Union([Timestamp, Type.Null()]),
});
export type NetworkDetail = Static<typeof NetworkDetail>;

/** `POST /api/networks/:id/members`. At most one centre person per network. */
export const AddMemberRequest = Body({
  name: FilledLine(100),
  relationship: Line(100),
  isCentre: Type.Boolean(),
});
export type AddMemberRequest = Static<typeof AddMemberRequest>;

/** Most people a network can be created with in one call. */
export const MAX_NEW_NETWORK_MEMBERS = 50;

/**
 * `POST /api/networks`. `label` is how staff recognise the episode; prefer initials or a code
 * over a full name. Core-team ids must be staff of the same organisation. `members` (at most
 * one centre person) and `startMeeting` (an immediate meeting with a link for everyone) are
 * written in the same transaction: all of it, or nothing.
 */
export const CreateNetworkRequest = Body({
  label: FilledLine(120),
  firstContactAt: Timestamp,
  coreTeamStaffIds: Type.Array(Uuid, { maxItems: 20, uniqueItems: true }),
  members: Type.Optional(Type.Array(AddMemberRequest, { maxItems: MAX_NEW_NETWORK_MEMBERS })),
  startMeeting: Type.Optional(Type.Boolean()),
});
export type CreateNetworkRequest = Static<typeof CreateNetworkRequest>;

/** The answer to `POST /api/networks`: the network, and the meeting started with it, if any. */
export const CreatedNetwork = Type.Object({
  ...NetworkDetail.properties,
  startedMeeting: Type.Optional(CreateMeetingResponse),
});
export type CreatedNetwork = Static<typeof CreatedNetwork>;

/**
 * `PATCH /api/networks/:id/members/:memberId`: any of the fields. `preApproved: true` records
 * the centre person's advance consent (now, by the signed-in staff member); `false` clears it.
 */
export const UpdateMemberRequest = Body(
  {
    name: Type.Optional(FilledLine(100)),
    relationship: Type.Optional(Line(100)),
    isCentre: Type.Optional(Type.Boolean()),
    preApproved: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
export type UpdateMemberRequest = Static<typeof UpdateMemberRequest>;

export const MemberParams = Type.Object({ id: Uuid, memberId: Uuid });
export type MemberParams = Static<typeof MemberParams>;

/**
 * `PATCH /api/networks/:id/core-team`: the whole core team from now on (at least one person).
 * Earlier meetings keep the team they had when they started.
 */
export const SetCoreTeamRequest = Body({
  staffIds: Type.Array(Uuid, { minItems: 1, maxItems: 20, uniqueItems: true }),
});
export type SetCoreTeamRequest = Static<typeof SetCoreTeamRequest>;
