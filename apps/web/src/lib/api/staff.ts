import type { EndpointName, MeResponse } from '@polyphony/protocol';
import {
  isBulkInvitesResponse,
  isCreatedInvite,
  isCreatedNetwork,
  isCreateMeetingResponse,
  isEmailInviteResponse,
  isEnterMeetingResponse,
  isInvite,
  isMeetingDetail,
  isMeetingListResponse,
  isMeResponse,
  isNetworkDetail,
  isNetworkListResponse,
  isNetworkMember,
  isNoContent,
  isOrganisation,
  isSetupLinkPreview,
  isSetupLinkResponse,
  isSetupStatusResponse,
  isStaffAccount,
  isStaffDirectoryResponse,
  isStaffListResponse,
  isStaffMember,
} from 'virtual:checks';
import type { ApiResult, Check } from './client.ts';
import {
  callEndpoint,
  endpointPath,
  type EndpointInput,
  type EndpointResult,
} from './endpoints.ts';

export { CSRF_HEADER } from './endpoints.ts';

type Input<N extends EndpointName> = EndpointInput<N>;

/**
 * The typed staff API (same origin; the `pp_staff` cookie is HttpOnly and scoped to /api).
 * Every state change carries the session's CSRF token, learnt from `/api/me`, setup or sign-in.
 */
export class StaffApi {
  #csrfToken: string | null = null;
  readonly #fetcher: typeof fetch | undefined;

  constructor(fetcher?: typeof fetch) {
    this.#fetcher = fetcher;
  }

  get signedIn(): boolean {
    return this.#csrfToken !== null;
  }

  #call<N extends EndpointName>(name: N, input: Input<N>, check: Check<EndpointResult<N>>) {
    return callEndpoint(name, input, check, {
      csrfToken: this.#csrfToken,
      ...(this.#fetcher ? { fetcher: this.#fetcher } : {}),
    });
  }

  #remember(result: ApiResult<MeResponse>): ApiResult<MeResponse> {
    this.#csrfToken = result.ok ? result.value.csrfToken : null;
    return result;
  }

  setupStatus = () => this.#call('setupStatus', {}, isSetupStatusResponse);
  setup = async (body: Input<'setup'>['body']) =>
    this.#remember(await this.#call('setup', { body }, isMeResponse));
  signIn = async (body: Input<'signIn'>['body']) =>
    this.#remember(await this.#call('signIn', { body }, isMeResponse));
  me = async () => this.#remember(await this.#call('me', {}, isMeResponse));

  async signOut() {
    const result = await this.#call('signOut', {}, isNoContent);
    this.#csrfToken = null;
    return result;
  }

  listStaff = () => this.#call('listStaff', {}, isStaffListResponse);
  directory = () => this.#call('directory', {}, isStaffDirectoryResponse);
  createStaff = (body: Input<'createStaff'>['body']) =>
    this.#call('createStaff', { body }, isStaffMember);
  updateOrganisation = (body: Input<'updateOrganisation'>['body']) =>
    this.#call('updateOrganisation', { body }, isOrganisation);
  /** Disable (every session of theirs ends at once) or enable a colleague's account (admins). */
  setStaffDisabled = (staffId: string, disabled: boolean) =>
    this.#call('updateStaff', { params: { id: staffId }, body: { disabled } }, isStaffAccount);
  createSetupLink = (staffId: string) =>
    this.#call('createSetupLink', { params: { id: staffId } }, isSetupLinkResponse);
  changePassword = (body: Input<'changePassword'>['body']) =>
    this.#call('changePassword', { body }, isNoContent);
  setupLinkPreview = (token: string) =>
    this.#call('setupLinkPreview', { params: { token } }, isSetupLinkPreview);
  useSetupLink = async (token: string, password: string) =>
    this.#remember(
      await this.#call('useSetupLink', { params: { token }, body: { password } }, isMeResponse),
    );

  listNetworks = () => this.#call('listNetworks', {}, isNetworkListResponse);
  network = (id: string) => this.#call('network', { params: { id } }, isNetworkDetail);
  createNetwork = (body: Input<'createNetwork'>['body']) =>
    this.#call('createNetwork', { body }, isCreatedNetwork);
  setCoreTeam = (networkId: string, staffIds: string[]) =>
    this.#call('setCoreTeam', { params: { id: networkId }, body: { staffIds } }, isNetworkDetail);
  closeEpisode = (networkId: string) =>
    this.#call('closeEpisode', { params: { id: networkId } }, isNetworkDetail);
  addMember = (networkId: string, body: Input<'addMember'>['body']) =>
    this.#call('addMember', { params: { id: networkId }, body }, isNetworkMember);
  updateMember = (networkId: string, memberId: string, body: Input<'updateMember'>['body']) =>
    this.#call('updateMember', { params: { id: networkId, memberId }, body }, isNetworkMember);
  removeMember = (networkId: string, memberId: string) =>
    this.#call('removeMember', { params: { id: networkId, memberId } }, isNoContent);

  createMeeting = (networkId: string, body: Input<'createMeeting'>['body']) =>
    this.#call('createMeeting', { params: { id: networkId }, body }, isCreateMeetingResponse);
  meetings = (state: 'upcoming' | 'live') =>
    this.#call('listMeetings', { query: { state } }, isMeetingListResponse);
  meeting = (id: string) => this.#call('meeting', { params: { id } }, isMeetingDetail);
  createInvite = (meetingId: string, body: Input<'createInvite'>['body']) =>
    this.#call('createInvite', { params: { id: meetingId }, body }, isCreatedInvite);
  inviteEveryone = (meetingId: string) =>
    this.#call('inviteEveryone', { params: { id: meetingId } }, isBulkInvitesResponse);
  emailInvite = (meetingId: string, inviteId: string, body: Input<'emailInvite'>['body']) =>
    this.#call('emailInvite', { params: { id: meetingId, inviteId }, body }, isEmailInviteResponse);
  revokeInvite = (meetingId: string, inviteId: string) =>
    this.#call('revokeInvite', { params: { id: meetingId, inviteId } }, isInvite);
  /** Enter the meeting as one's own participant (knock; core-team staff go straight in). */
  enterMeeting = (meetingId: string) =>
    this.#call('enter', { params: { id: meetingId }, body: {} }, isEnterMeetingResponse);
}

/** Where the browser downloads a scheduled meeting's calendar file (cookie-authenticated GET). */
export const calendarPath = (meetingId: string) =>
  endpointPath('meetingCalendar', { params: { id: meetingId } });

/** The app's one staff API (it holds the session's CSRF token). */
export const staffApi = new StaffApi();
