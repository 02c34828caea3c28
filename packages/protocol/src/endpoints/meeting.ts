import { Type } from 'typebox';
import { IdParams } from '../common.ts';
import {
  CommandResponse,
  EnterMeetingRequest,
  EnterMeetingResponse,
  InvitePreview,
  InviteTokenParams,
  JoinRequest,
  MeetingSessionResponse,
  ModeRequest,
  SettingsRequest,
  ParticipantParams,
  UpdateMeRequest,
} from '../participants.ts';
import { NetworkCheckResponse } from '../network-check.ts';
import {
  DeviceKeyRequest,
  DeviceKeyResponse,
  E2eeStateResponse,
  KeyResendRequest,
  KeyResendResponse,
  WrappedKeysRequest,
  WrappedKeysResponse,
} from '../e2ee.ts';
import { RecordRequest, RecordResponse, TimelineResponse } from '../record.ts';
import type { EndpointSpec } from './spec.ts';

const TARGETED = {
  method: 'POST',
  access: 'participant',
  params: ParticipantParams,
  responses: { 200: CommandResponse },
  description: 'Needs the session cookie and `X-CSRF-Token`. Refusals are domain codes.',
  tags: ['participants'],
} as const;

/** A personal link, and everything done in a meeting by the people in it. */
export const MEETING_ENDPOINTS = {
  invitePreview: {
    method: 'GET',
    path: '/api/invites/:token',
    access: 'link',
    params: InviteTokenParams,
    responses: { 200: InvitePreview },
    summary: 'What the pre-join page shows for a personal link',
    description:
      'Unknown, expired and revoked links all answer 404 LINK_INVALID, with `contact`: ' +
      'whom to ask for a new link (the organisation\u2019s contact for a link that once ' +
      'worked, else the operator\u2019s `SUPPORT_CONTACT`). A usable link\u2019s answer ' +
      'names the organisation and its contact, and the care team. The token is never logged.',
    tags: ['join'],
  },
  networkCheck: {
    method: 'GET',
    path: '/api/invites/:token/network-check',
    access: 'link',
    params: InviteTokenParams,
    responses: { 200: NetworkCheckResponse },
    summary:
      'What the pre-join network check tries: the media server over TCP, TURN over UDP and TLS',
    description:
      'For a usable link only. TURN credentials are made for a one-off probe id (never a ' +
      'participant\u2019s) and can start an allocation for five minutes; LiveKit\u2019s TURN ' +
      'relays only to its own media port, where nothing is received without a media token. ' +
      '`udp` and `tls` are null when the deployment names no such TURN address ' +
      '(`TURN_UDP_URL`, `TURN_TLS_URL`).',
    tags: ['join'],
  },
  join: {
    method: 'POST',
    path: '/api/invites/:token/join',
    access: 'link',
    params: InviteTokenParams,
    body: JoinRequest,
    responses: { 200: MeetingSessionResponse },
    summary: 'Knock: enter the waiting room with a name and who is in the room',
    description:
      'Sets the `pp_guest` session cookie (HttpOnly, SameSite=Strict, Path=/api) and ' +
      'returns the CSRF token for `X-CSRF-Token`. Requires `Origin` to be the public ' +
      'origin. Each browser is a device with its own session: the same browser keeps its ' +
      'place; another device knocks (beside the seat if the person is in the room). ' +
      'A recently declined person gets 429 KNOCK_TOO_SOON with Retry-After. After ' +
      'the end, someone let in at least once gets a read-only session for the record ' +
      '(`readOnly: true`, nothing knocks); anyone else 409 MEETING_ENDED. A name someone ' +
      'else in the meeting or its care team has (compared without case or invisible ' +
      'characters) is 409 NAME_TAKEN. `plan`: the optional "if we get cut off" plan, seen ' +
      'only by this person and facilitators and cofacilitators in the room.',
    tags: ['join'],
  },
  admit: {
    ...TARGETED,
    path: '/api/meetings/:id/participants/:pid/admit',
    summary: 'Let someone in (a facilitator\u2019s key; the centre person may still need to agree)',
  },
  decline: {
    ...TARGETED,
    path: '/api/meetings/:id/participants/:pid/decline',
    summary: '"Not now" to someone waiting; they may knock again after a growing wait',
  },
  consent: {
    ...TARGETED,
    path: '/api/meetings/:id/participants/:pid/consent',
    summary: 'The centre person agrees to someone (and everyone declared with them)',
  },
  remove: {
    ...TARGETED,
    path: '/api/meetings/:id/participants/:pid/remove',
    summary: 'Ask someone to leave: out of media at once, back to the waiting room',
  },
  updateMe: {
    method: 'PATCH',
    path: '/api/meetings/:id/participants/me',
    access: 'participant',
    params: IdParams,
    body: UpdateMeRequest,
    responses: { 200: CommandResponse },
    summary:
      'Change who is with me or my "if we get cut off" plan, or say "I\u2019d like to respond"',
    description:
      'Every companion change is announced to everyone in the meeting. A plan change is ' +
      'told only to the person and to facilitators and cofacilitators in the room; its ' +
      'text is never in the log. A field past its bound is 400 VALIDATION_FAILED.',
    tags: ['participants'],
  },
  leave: {
    method: 'DELETE',
    path: '/api/meetings/:id/participants/me',
    access: 'participant',
    params: IdParams,
    responses: { 200: CommandResponse },
    summary: 'Leave the waiting room or the meeting',
    tags: ['participants'],
  },
  enter: {
    method: 'POST',
    path: '/api/meetings/:id/participants/me',
    access: 'participant',
    staffWithoutPlace: true,
    params: IdParams,
    body: EnterMeetingRequest,
    responses: { 200: EnterMeetingResponse },
    summary: 'Open the meeting as one\u2019s own participant, or knock again (core team go in)',
    description:
      'With a staff session and its `X-CSRF-Token`: core-team staff without a link get ' +
      'a place on first use; other staff need a link. Without one, the guest session of ' +
      'this meeting (and its `X-CSRF-Token`) knocks again from its device, as opening the ' +
      'link there would (429 KNOCK_TOO_SOON with Retry-After after a recent "not now").',
    tags: ['participants'],
  },
  switchMode: {
    method: 'POST',
    path: '/api/meetings/:id/mode',
    access: 'participant',
    params: IdParams,
    body: ModeRequest,
    responses: { 200: CommandResponse },
    summary: 'Start or end a reflection (facilitators and cofacilitators)',
    description:
      'Committed first, then every admitted participant\u2019s LiveKit permissions are ' +
      'replaced with the complete set for the new mode. The same mode again changes nothing.',
    tags: ['mode'],
  },
  changeSettings: {
    method: 'POST',
    path: '/api/meetings/:id/settings',
    access: 'participant',
    params: IdParams,
    body: SettingsRequest,
    responses: { 200: CommandResponse },
    summary: 'Change the meeting\u2019s settings (facilitators and cofacilitators)',
    description:
      'The settings named change, the others stay. `endToEndEncrypted: false` is for a device ' +
      'that cannot encrypt: every page is told and reconnects its media without encryption, ' +
      'and the log keeps who turned it off. Permissions follow at once, as for a mode switch.',
    tags: ['mode'],
  },
  endMeeting: {
    method: 'POST',
    path: '/api/meetings/:id/end',
    access: 'participant',
    params: IdParams,
    responses: { 200: CommandResponse },
    summary: 'End the meeting for everyone',
    description: 'Everyone leaves the room and the waiting room; every media identity ends.',
    tags: ['mode'],
  },
  addRecordEntry: {
    method: 'POST',
    path: '/api/meetings/:id/record',
    access: 'participant',
    params: IdParams,
    body: RecordRequest,
    responses: { 200: CommandResponse },
    summary: 'Add to the shared record (facilitators and cofacilitators)',
    description:
      'A decision, a next step (with who and when), an open question, or the next ' +
      'meeting\u2019s time. Nothing is edited or deleted: a correction is a new entry ' +
      'naming the entry it corrects. Shown live to everyone in the room. Needs the ' +
      'session cookie and `X-CSRF-Token`; refusals are domain codes (403 FORBIDDEN for ' +
      'other roles).',
    tags: ['record'],
  },
  record: {
    method: 'GET',
    path: '/api/meetings/:id/record',
    access: 'participant',
    staffWithoutPlace: true,
    params: IdParams,
    responses: { 200: RecordResponse },
    summary: 'Read the shared record and the agreed next meeting',
    description:
      'While the meeting runs: people in the room. After it ends: everyone who was let in ' +
      'at least once, through their own link until it expires or is revoked (403 ' +
      'LINK_REVOKED, 404 LINK_INVALID), never someone who was not let in (403 ' +
      'NOT_ADMITTED). Staff of the organisation read it through the staff app. It names ' +
      'the organisation (with its contact) and the care team, and says until when this ' +
      'reader can read it (`readableUntil`: their link\u2019s expiry, for staff the ' +
      'retention purge; null until the meeting has ended).',
    tags: ['record'],
  },
  timeline: {
    method: 'GET',
    path: '/api/meetings/:id/timeline',
    access: 'participant',
    staffWithoutPlace: true,
    params: IdParams,
    responses: { 200: TimelineResponse },
    summary: 'Read the meeting\u2019s timeline (its event log) with the names it may show',
    description:
      'Same readers as the record. Names: people who have been in the room; those who ' +
      'hold a key to the door and staff also see who knocked.',
    tags: ['record'],
  },
  postDeviceKey: {
    method: 'POST',
    path: '/api/meetings/:id/e2ee/device-key',
    access: 'participant',
    params: IdParams,
    body: DeviceKeyRequest,
    responses: { 200: DeviceKeyResponse },
    summary: 'Post this device\u2019s public key for its current admission (end-to-end encryption)',
    description:
      'Only the device holding the seat, for the admission it holds now (403 NOT_ADMITTED ' +
      'otherwise). A key once posted for an admission cannot be replaced (409 CONFLICT): a new ' +
      'key pair comes with a new admission. The private key never leaves the browser (ADR 0035).',
    tags: ['e2ee'],
  },
  e2eeKeys: {
    method: 'GET',
    path: '/api/meetings/:id/e2ee',
    access: 'participant',
    params: IdParams,
    responses: { 200: E2eeStateResponse },
    summary: 'The device keys of everyone admitted now, and the media keys wrapped for me',
    description:
      'Only to the device holding a seat (403 NOT_ADMITTED otherwise). The wrapped keys are ' +
      'opaque to the server: it cannot read them. Never cached.',
    tags: ['e2ee'],
  },
  sendWrappedKeys: {
    method: 'POST',
    path: '/api/meetings/:id/e2ee/wrapped-keys',
    access: 'participant',
    params: IdParams,
    body: WrappedKeysRequest,
    responses: { 200: WrappedKeysResponse },
    summary: 'Relay a new media key, wrapped once per recipient, to each named recipient',
    description:
      'Only from the device holding a seat, for its current admission (403 NOT_ADMITTED). ' +
      'Copies for identities not admitted now are dropped; `delivered` names the others. ' +
      'Each recipient keeps the latest copy from each sender until the retention purge. ' +
      'A copy of the same generation replaces the one kept (a key wrapped again on request), ' +
      'and answers the recipients\u2019 requests to resend.',
    tags: ['e2ee'],
  },
  requestKeyResend: {
    method: 'POST',
    path: '/api/meetings/:id/e2ee/resend',
    access: 'participant',
    params: IdParams,
    body: KeyResendRequest,
    responses: { 200: KeyResendResponse },
    summary:
      'Ask a sender to wrap its current media key for this device again (\u201cresend keys\u201d)',
    description:
      'Only from the device holding a seat, for its current admission, to someone admitted now ' +
      '(403 NOT_ADMITTED otherwise). The sender sees the request on its next read of the relay ' +
      'and answers it with a wrapped copy; the server still never sees a media key.',
    tags: ['e2ee'],
  },
  live: {
    method: 'GET',
    path: '/api/meetings/:id/live',
    access: 'participant',
    websocket: true,
    // Not a uuid here: a malformed id closes the socket (NOT_FOUND) rather than failing the
    // upgrade, whose status a browser cannot read.
    params: Type.Object({ id: Type.String() }),
    // A query string is text; the number is read by the handler (no type coercion).
    query: Type.Object({ since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
    responses: {},
    summary: 'Live channel (WebSocket): snapshot, then meeting events in sequence order',
    description:
      'Authenticated by the guest session cookie of this meeting, or the staff session of ' +
      'a staff member who has a place in it, from the public origin. Send `?since=N` to ' +
      'replay events after N following the snapshot. Refusals are WebSocket close codes ' +
      '(see CLOSE_CODES).',
    tags: ['live'],
  },
} as const satisfies Record<string, EndpointSpec>;
