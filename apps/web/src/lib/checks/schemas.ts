// Every schema the web app checks a payload against: the server's live messages and HTTP
// response bodies (protocol), and the log events as the room reads them. `typebox-checks.js`
// compiles each export `X` into `isX` of `virtual:checks` at build time (declared in
// `checks.d.ts`); the browser never loads this module. Node loads it as it is: packages and
// relative paths only, no `$lib`.
import { Type } from 'typebox';

export {
  BulkInvitesResponse,
  CommandResponse,
  CreatedInvite,
  CreatedNetwork,
  CreateMeetingResponse,
  DeviceKeyResponse,
  E2eeStateResponse,
  EmailInviteResponse,
  EnterMeetingResponse,
  ErrorResponse,
  HealthResponse,
  Invite,
  MeetingDetail,
  MeetingListResponse,
  MeResponse,
  NetworkDetail,
  NetworkListResponse,
  NetworkMember,
  Organisation,
  RecordResponse,
  ServerMessage,
  SetupLinkPreview,
  SetupLinkResponse,
  SetupStatusResponse,
  StaffAccount,
  StaffDirectoryResponse,
  StaffListResponse,
  StaffMember,
  TimelineResponse,
  WrappedKeysResponse,
  KeyResendResponse,
} from '@polyphony/protocol';

/** A success without a body (`204`), `null` as in the endpoint table. */
export const NoContent = Type.Null();
