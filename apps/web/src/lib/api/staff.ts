import { Type, type TSchema } from 'typebox';
import {
  BulkInvitesResponse,
  CreateMeetingResponse,
  CreatedInvite,
  Invite,
  MeResponse,
  MeetingDetail,
  MeetingListResponse,
  NetworkDetail,
  NetworkListResponse,
  NetworkMember,
  SetupStatusResponse,
  StaffDirectoryResponse,
  StaffListResponse,
  StaffMember,
  type AddMemberRequest,
  type CreateInviteRequest,
  type CreateMeetingRequest,
  type CreateNetworkRequest,
  type CreateStaffRequest,
  type SetupRequest,
  type SignInRequest,
  type UpdateMemberRequest,
} from '@polyphony/protocol';
import { callApi, type ApiRequest, type ApiResult } from './client.ts';

/** The staff API's synchronizer-token header (ADR 0007). */
export const CSRF_HEADER = 'X-CSRF-Token';

const NoContent = Type.Undefined();

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

  #get<S extends TSchema>(path: ApiRequest<S>['path'], response: S) {
    return callApi({ path, response }, this.#fetcher);
  }

  #send<S extends TSchema>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: ApiRequest<S>['path'],
    response: S,
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

  setupStatus = () => this.#get('/api/setup', SetupStatusResponse);
  setup = async (body: SetupRequest) =>
    this.#remember(await this.#send('POST', '/api/setup', MeResponse, body));
  signIn = async (body: SignInRequest) =>
    this.#remember(await this.#send('POST', '/api/session', MeResponse, body));
  me = async () => this.#remember(await this.#get('/api/me', MeResponse));

  async signOut() {
    const result = await this.#send('DELETE', '/api/session', NoContent);
    this.#csrfToken = null;
    return result;
  }

  listStaff = () => this.#get('/api/staff', StaffListResponse);
  directory = () => this.#get('/api/staff/directory', StaffDirectoryResponse);
  createStaff = (body: CreateStaffRequest) => this.#send('POST', '/api/staff', StaffMember, body);

  listNetworks = () => this.#get('/api/networks', NetworkListResponse);
  network = (id: string) => this.#get(`/api/networks/${enc(id)}`, NetworkDetail);
  createNetwork = (body: CreateNetworkRequest) =>
    this.#send('POST', '/api/networks', NetworkDetail, body);
  addMember = (networkId: string, body: AddMemberRequest) =>
    this.#send('POST', `/api/networks/${enc(networkId)}/members`, NetworkMember, body);
  updateMember = (networkId: string, memberId: string, body: UpdateMemberRequest) =>
    this.#send(
      'PATCH',
      `/api/networks/${enc(networkId)}/members/${enc(memberId)}`,
      NetworkMember,
      body,
    );
  removeMember = (networkId: string, memberId: string) =>
    this.#send('DELETE', `/api/networks/${enc(networkId)}/members/${enc(memberId)}`, NoContent);

  createMeeting = (networkId: string, body: CreateMeetingRequest) =>
    this.#send('POST', `/api/networks/${enc(networkId)}/meetings`, CreateMeetingResponse, body);
  meetings = (state: 'upcoming' | 'live') =>
    this.#get(`/api/meetings?state=${state}`, MeetingListResponse);
  meeting = (id: string) => this.#get(`/api/meetings/${enc(id)}`, MeetingDetail);
  createInvite = (meetingId: string, body: CreateInviteRequest) =>
    this.#send('POST', `/api/meetings/${enc(meetingId)}/invites`, CreatedInvite, body);
  inviteEveryone = (meetingId: string) =>
    this.#send('POST', `/api/meetings/${enc(meetingId)}/invites/bulk`, BulkInvitesResponse);
  revokeInvite = (meetingId: string, inviteId: string) =>
    this.#send('DELETE', `/api/meetings/${enc(meetingId)}/invites/${enc(inviteId)}`, Invite);
}

const enc = encodeURIComponent;

/** Where the browser downloads a scheduled meeting's calendar file (cookie-authenticated GET). */
export const calendarPath = (meetingId: string) =>
  `/api/meetings/${enc(meetingId)}/calendar.ics` as const;

/** The app's one staff API (it holds the session's CSRF token). */
export const staffApi = new StaffApi();
