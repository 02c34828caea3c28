import type {
  AddMemberRequest,
  CreateInviteRequest,
  CreateMeetingRequest,
  CreateNetworkRequest,
  CreateStaffRequest,
  EmailInviteRequest,
  MeResponse,
  SetupRequest,
  SignInRequest,
  UpdateMemberRequest,
  UpdateOrganisationRequest,
} from '@polyphony/protocol';
import {
  isBulkInvitesResponse,
  isCreatedInvite,
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
  isSetupStatusResponse,
  isStaffDirectoryResponse,
  isStaffListResponse,
  isStaffMember,
} from 'virtual:checks';
import { callApi, type ApiRequest, type ApiResult, type Check } from './client.ts';

/** The staff API's synchronizer-token header (ADR 0007). */
export const CSRF_HEADER = 'X-CSRF-Token';

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

  #get<T>(path: ApiRequest<T>['path'], response: Check<T>) {
    return callApi({ path, response }, this.#fetcher);
  }

  #send<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: ApiRequest<T>['path'],
    response: Check<T>,
    body?: unknown,
  ) {
    const headers: Record<string, string> =
      this.#csrfToken === null ? {} : { [CSRF_HEADER]: this.#csrfToken };
    return callApi({ method, path, response, body, headers }, this.#fetcher);
  }

  #remember(result: ApiResult<MeResponse>): ApiResult<MeResponse> {
    this.#csrfToken = result.ok ? result.value.csrfToken : null;
    return result;
  }

  setupStatus = () => this.#get('/api/setup', isSetupStatusResponse);
  setup = async (body: SetupRequest) =>
    this.#remember(await this.#send('POST', '/api/setup', isMeResponse, body));
  signIn = async (body: SignInRequest) =>
    this.#remember(await this.#send('POST', '/api/session', isMeResponse, body));
  me = async () => this.#remember(await this.#get('/api/me', isMeResponse));

  async signOut() {
    const result = await this.#send('DELETE', '/api/session', isNoContent);
    this.#csrfToken = null;
    return result;
  }

  listStaff = () => this.#get('/api/staff', isStaffListResponse);
  directory = () => this.#get('/api/staff/directory', isStaffDirectoryResponse);
  createStaff = (body: CreateStaffRequest) => this.#send('POST', '/api/staff', isStaffMember, body);
  updateOrganisation = (body: UpdateOrganisationRequest) =>
    this.#send('PATCH', '/api/organisation', isOrganisation, body);

  listNetworks = () => this.#get('/api/networks', isNetworkListResponse);
  network = (id: string) => this.#get(`/api/networks/${enc(id)}`, isNetworkDetail);
  createNetwork = (body: CreateNetworkRequest) =>
    this.#send('POST', '/api/networks', isNetworkDetail, body);
  addMember = (networkId: string, body: AddMemberRequest) =>
    this.#send('POST', `/api/networks/${enc(networkId)}/members`, isNetworkMember, body);
  updateMember = (networkId: string, memberId: string, body: UpdateMemberRequest) =>
    this.#send(
      'PATCH',
      `/api/networks/${enc(networkId)}/members/${enc(memberId)}`,
      isNetworkMember,
      body,
    );
  removeMember = (networkId: string, memberId: string) =>
    this.#send('DELETE', `/api/networks/${enc(networkId)}/members/${enc(memberId)}`, isNoContent);

  createMeeting = (networkId: string, body: CreateMeetingRequest) =>
    this.#send('POST', `/api/networks/${enc(networkId)}/meetings`, isCreateMeetingResponse, body);
  meetings = (state: 'upcoming' | 'live') =>
    this.#get(`/api/meetings?state=${state}`, isMeetingListResponse);
  meeting = (id: string) => this.#get(`/api/meetings/${enc(id)}`, isMeetingDetail);
  createInvite = (meetingId: string, body: CreateInviteRequest) =>
    this.#send('POST', `/api/meetings/${enc(meetingId)}/invites`, isCreatedInvite, body);
  inviteEveryone = (meetingId: string) =>
    this.#send('POST', `/api/meetings/${enc(meetingId)}/invites/bulk`, isBulkInvitesResponse);
  emailInvite = (meetingId: string, inviteId: string, body: EmailInviteRequest) =>
    this.#send(
      'POST',
      `/api/meetings/${enc(meetingId)}/invites/${enc(inviteId)}/email`,
      isEmailInviteResponse,
      body,
    );
  revokeInvite = (meetingId: string, inviteId: string) =>
    this.#send('DELETE', `/api/meetings/${enc(meetingId)}/invites/${enc(inviteId)}`, isInvite);
  /** Enter the meeting as one's own participant (knock; core-team staff go straight in). */
  enterMeeting = (meetingId: string) =>
    this.#send(
      'POST',
      `/api/meetings/${enc(meetingId)}/participants/me`,
      isEnterMeetingResponse,
      {},
    );
}

const enc = encodeURIComponent;

/** Where the browser downloads a scheduled meeting's calendar file (cookie-authenticated GET). */
export const calendarPath = (meetingId: string) =>
  `/api/meetings/${enc(meetingId)}/calendar.ics` as const;

/** The app's one staff API (it holds the session's CSRF token). */
export const staffApi = new StaffApi();
