import { Type } from 'typebox';
import { IdParams } from '../common.ts';
import {
  BulkInvitesResponse,
  CreatedInvite,
  CreateInviteRequest,
  CreateMeetingRequest,
  CreateMeetingResponse,
  EmailInviteRequest,
  EmailInviteResponse,
  Invite,
  InviteParams,
  MeetingDetail,
  MeetingListQuery,
  MeetingListResponse,
} from '../meetings.ts';
import {
  AddMemberRequest,
  CreatedNetwork,
  CreateNetworkRequest,
  MemberParams,
  NetworkDetail,
  NetworkListResponse,
  NetworkMember,
  SetCoreTeamRequest,
  UpdateMemberRequest,
} from '../networks.ts';
import {
  CreateStaffRequest,
  Organisation,
  SetupLinkResponse,
  StaffAccount,
  UpdateStaffRequest,
  StaffDirectoryResponse,
  StaffListResponse,
  StaffMember,
  UpdateOrganisationRequest,
} from '../staff.ts';
import type { EndpointSpec } from './spec.ts';

/** The staff app: staff accounts, networks, meetings and their personal links. */
export const STAFF_ENDPOINTS = {
  createStaff: {
    method: 'POST',
    path: '/api/staff',
    access: 'admin',
    body: CreateStaffRequest,
    responses: { 201: StaffMember },
    summary: 'Create a staff account with an initial password (admins)',
    tags: ['staff'],
  },
  listStaff: {
    method: 'GET',
    path: '/api/staff',
    access: 'admin',
    responses: { 200: StaffListResponse },
    summary: "The organisation's staff accounts, disabled ones too (admins)",
    tags: ['staff'],
  },
  updateStaff: {
    method: 'PATCH',
    path: '/api/staff/:id',
    access: 'admin',
    params: IdParams,
    body: UpdateStaffRequest,
    responses: { 200: StaffAccount },
    summary: 'Disable or enable a staff account (admins)',
    description:
      'Disabling ends every session of the person at once (their next request is 401 and ' +
      'their live channels close with 4401) and they cannot sign in. The last enabled admin ' +
      'cannot be disabled (409 LAST_ADMIN).',
    tags: ['staff'],
  },
  createSetupLink: {
    method: 'POST',
    path: '/api/staff/:id/setup-link',
    access: 'admin',
    params: IdParams,
    responses: { 201: SetupLinkResponse },
    summary: 'A one-time link for a colleague to set a new password (admins; token shown once)',
    description:
      'Works once, for 24 hours; a newer link replaces an unused older one. Using it sets the ' +
      'password and ends every other session of the person. Not for a disabled account ' +
      '(409 CONFLICT).',
    tags: ['staff'],
  },
  updateOrganisation: {
    method: 'PATCH',
    path: '/api/organisation',
    access: 'admin',
    body: UpdateOrganisationRequest,
    responses: { 200: Organisation },
    summary: 'Set or clear how people reach the organisation (admins)',
    description:
      'Free text on one line (at most 200 characters), e.g. a phone number. Shown to ' +
      'people whose personal link no longer works.',
    tags: ['staff'],
  },
  directory: {
    method: 'GET',
    path: '/api/staff/directory',
    access: 'staff',
    responses: { 200: StaffDirectoryResponse },
    summary: "The organisation's colleagues, without e-mail addresses, for picking a core team",
    tags: ['staff'],
  },
  createNetwork: {
    method: 'POST',
    path: '/api/networks',
    access: 'staff',
    body: CreateNetworkRequest,
    responses: { 201: CreatedNetwork },
    summary: 'Create a network with its core team, its people and a first meeting, all or nothing',
    description:
      'One transaction: with `members` (at most one centre person: 409 CENTRE_ALREADY_SET, ' +
      'and nothing is written) and `startMeeting: true` (an immediate meeting with a link ' +
      'for everyone, in `startedMeeting`; tokens shown only here).',
    tags: ['networks'],
  },
  listNetworks: {
    method: 'GET',
    path: '/api/networks',
    access: 'staff',
    responses: { 200: NetworkListResponse },
    summary: "The organisation's networks with their dashboard figures",
    tags: ['networks'],
  },
  network: {
    method: 'GET',
    path: '/api/networks/:id',
    access: 'staff',
    params: IdParams,
    responses: { 200: NetworkDetail },
    summary: 'A network: members, core team, meetings and figures',
    tags: ['networks'],
  },
  setCoreTeam: {
    method: 'PATCH',
    path: '/api/networks/:id/core-team',
    access: 'staff',
    params: IdParams,
    body: SetCoreTeamRequest,
    responses: { 200: NetworkDetail },
    summary: 'Change a network\u2019s core team from now on (core team or admins)',
    description:
      'Staff of the organisation, at least one. The continuity figure of a meeting counts ' +
      'the team as it was when that meeting started, so earlier figures do not change. ' +
      '409 EPISODE_CLOSED after the episode was closed.',
    tags: ['networks'],
  },
  closeEpisode: {
    method: 'POST',
    path: '/api/networks/:id/close',
    access: 'staff',
    params: IdParams,
    responses: { 200: NetworkDetail },
    summary: 'Close the care episode (core team or admins; idempotent)',
    description:
      'The network then takes no new members, meetings or core team (409 EPISODE_CLOSED). ' +
      'Its members\u2019 personal data (names, relationships, pre-approvals, their links) is ' +
      'purged RETENTION_DAYS after closing, and never while one of their links still works.',
    tags: ['networks'],
  },
  addMember: {
    method: 'POST',
    path: '/api/networks/:id/members',
    access: 'staff',
    params: IdParams,
    body: AddMemberRequest,
    responses: { 201: NetworkMember },
    summary: 'Add a member to a network (core team or admins)',
    description: 'At most one centre person per network (409 CENTRE_ALREADY_SET).',
    tags: ['networks'],
  },
  updateMember: {
    method: 'PATCH',
    path: '/api/networks/:id/members/:memberId',
    access: 'staff',
    params: MemberParams,
    body: UpdateMemberRequest,
    responses: { 200: NetworkMember },
    summary: 'Change a member: name, relationship, centre person, pre-approval',
    description:
      '`preApproved: true` records the centre person\u2019s advance consent to this person, ' +
      'with the time and the signed-in staff member; `false` clears it.',
    tags: ['networks'],
  },
  removeMember: {
    method: 'DELETE',
    path: '/api/networks/:id/members/:memberId',
    access: 'staff',
    params: MemberParams,
    responses: { 204: Type.Null() },
    summary: 'Remove a member from a network (their personal links go with them)',
    tags: ['networks'],
  },
  createMeeting: {
    method: 'POST',
    path: '/api/networks/:id/meetings',
    access: 'staff',
    params: IdParams,
    body: CreateMeetingRequest,
    responses: { 201: CreateMeetingResponse },
    summary: 'Create a meeting (immediate: live at once; scheduled: at `scheduledAt`)',
    description:
      'With `inviteEveryone: true` the answer also carries a personal link for every ' +
      'network member and core-team staff member (tokens shown only here).',
    tags: ['meetings'],
  },
  listMeetings: {
    method: 'GET',
    path: '/api/meetings',
    access: 'staff',
    query: MeetingListQuery,
    responses: { 200: MeetingListResponse },
    summary: "The organisation's upcoming (scheduled) or live meetings",
    description: '`upcoming`: soonest first. `live`: latest start first.',
    tags: ['meetings'],
  },
  meeting: {
    method: 'GET',
    path: '/api/meetings/:id',
    access: 'staff',
    params: IdParams,
    responses: { 200: MeetingDetail },
    summary: 'A meeting: state, mode, time, network label, links and head-counts',
    tags: ['meetings'],
  },
  meetingCalendar: {
    method: 'GET',
    path: '/api/meetings/:id/calendar.ics',
    access: 'staff',
    params: IdParams,
    responses: { 200: Type.String({ description: 'text/calendar; one VEVENT, 60 minutes' }) },
    produces: 'text/calendar',
    summary: 'An iCalendar file for a scheduled meeting (names no one)',
    tags: ['meetings'],
  },
  createInvite: {
    method: 'POST',
    path: '/api/meetings/:id/invites',
    access: 'staff',
    params: IdParams,
    body: CreateInviteRequest,
    responses: { 201: CreatedInvite },
    summary: 'Make a personal link for a network member or a staff member (token shown once)',
    description:
      'Exactly one of memberId or staffId. One usable link per person per meeting ' +
      '(409 ALREADY_INVITED); revoke the old one first.',
    tags: ['invites'],
  },
  inviteEveryone: {
    method: 'POST',
    path: '/api/meetings/:id/invites/bulk',
    access: 'staff',
    params: IdParams,
    responses: { 201: BulkInvitesResponse },
    summary: 'Make links for everyone in the network who has none yet (tokens shown once)',
    description:
      'Every network member and core-team staff member without a usable link, with the ' +
      'default roles. People the meeting cannot take (e.g. a second centre) are skipped.',
    tags: ['invites'],
  },
  revokeInvite: {
    method: 'DELETE',
    path: '/api/meetings/:id/invites/:inviteId',
    access: 'staff',
    params: InviteParams,
    responses: { 200: Invite },
    summary: 'Revoke a personal link (idempotent)',
    description:
      'A holder waiting in the lobby leaves at once; an admitted holder stays until asked ' +
      'to leave. Answers with the link as it now stands.',
    tags: ['invites'],
  },
  emailInvite: {
    method: 'POST',
    path: '/api/meetings/:id/invites/:inviteId/email',
    access: 'staff',
    params: InviteParams,
    body: EmailInviteRequest,
    responses: { 200: EmailInviteResponse },
    summary: 'Send a link just made to an e-mail address (through the operator\u2019s SMTP relay)',
    description:
      'The token shown when the link was made proves which link to send (only its hash is ' +
      'kept). The message names the team, the time and the link, nothing clinical; the ' +
      'address is not stored. 409 MAIL_NOT_CONFIGURED without a relay; 502 MAIL_FAILED ' +
      'when the relay refuses.',
    tags: ['invites'],
  },
} as const satisfies Record<string, EndpointSpec>;
