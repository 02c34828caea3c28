// The checks `typebox-checks.js` compiles from `./schemas.ts`: `isX` for each export `X`.
// A check listed here without its schema fails the typecheck; one missing here cannot be
// imported.
declare module 'virtual:checks' {
  import type { Static, TSchema } from 'typebox';
  import type * as S from '$lib/checks/schemas.ts';

  /** Whether a value matches the schema; narrows it to the schema's type. */
  type Check<T extends TSchema> = (value: unknown) => value is Static<T>;

  export const isBulkInvitesResponse: Check<typeof S.BulkInvitesResponse>;
  export const isCommandResponse: Check<typeof S.CommandResponse>;
  export const isCreatedInvite: Check<typeof S.CreatedInvite>;
  export const isCreatedNetwork: Check<typeof S.CreatedNetwork>;
  export const isCreateMeetingResponse: Check<typeof S.CreateMeetingResponse>;
  export const isDeviceKeyResponse: Check<typeof S.DeviceKeyResponse>;
  export const isE2eeStateResponse: Check<typeof S.E2eeStateResponse>;
  export const isWrappedKeysResponse: Check<typeof S.WrappedKeysResponse>;
  export const isKeyResendResponse: Check<typeof S.KeyResendResponse>;
  export const isEmailInviteResponse: Check<typeof S.EmailInviteResponse>;
  export const isEnterMeetingResponse: Check<typeof S.EnterMeetingResponse>;
  export const isErrorResponse: Check<typeof S.ErrorResponse>;
  export const isHealthResponse: Check<typeof S.HealthResponse>;
  export const isInvite: Check<typeof S.Invite>;
  export const isMeetingDetail: Check<typeof S.MeetingDetail>;
  export const isMeetingListResponse: Check<typeof S.MeetingListResponse>;
  export const isMeResponse: Check<typeof S.MeResponse>;
  export const isNetworkDetail: Check<typeof S.NetworkDetail>;
  export const isNetworkListResponse: Check<typeof S.NetworkListResponse>;
  export const isNetworkMember: Check<typeof S.NetworkMember>;
  export const isNoContent: Check<typeof S.NoContent>;
  export const isOrganisation: Check<typeof S.Organisation>;
  export const isRecordResponse: Check<typeof S.RecordResponse>;
  export const isServerMessage: Check<typeof S.ServerMessage>;
  export const isSetupLinkPreview: Check<typeof S.SetupLinkPreview>;
  export const isSetupLinkResponse: Check<typeof S.SetupLinkResponse>;
  export const isSetupStatusResponse: Check<typeof S.SetupStatusResponse>;
  export const isStaffAccount: Check<typeof S.StaffAccount>;
  export const isStaffDirectoryResponse: Check<typeof S.StaffDirectoryResponse>;
  export const isStaffListResponse: Check<typeof S.StaffListResponse>;
  export const isStaffMember: Check<typeof S.StaffMember>;
  export const isTimelineResponse: Check<typeof S.TimelineResponse>;
}
