import type {
  ErrorCode,
  InvitePreview,
  JoinRequest,
  MeetingSessionResponse,
} from '@polyphony/protocol';
import { MEETING_ROLES } from '@polyphony/domain';
import { ERROR_TEXT } from '$lib/i18n/labels.ts';
import type { ApiResult } from './client.ts';
import { endpointPath } from './paths.ts';

// The pre-join page's two calls, paths from the endpoint table. They use a small fetch and
// structural checks instead of `callEndpoint` and the compiled checks, so the page stays within
// its JavaScript budget (product.md section 10; the shared client and its checks cost it 7 KB);
// the test beside this file holds the checks to the protocol schemas.

type Guard<T> = (value: unknown) => value is T;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => isString(v) && UUID.test(v);
const isTimestamp = (v: unknown): v is string => isString(v) && !Number.isNaN(Date.parse(v));
const ROLES: readonly string[] = MEETING_ROLES;

export const isInvitePreview: Guard<InvitePreview> = (v): v is InvitePreview => {
  if (!isObject(v) || !isObject(v.meeting) || !isObject(v.recording)) return false;
  const { meeting, recording } = v;
  return (
    isUuid(meeting.id) &&
    ['scheduled', 'live', 'ended'].includes(meeting.state as string) &&
    (meeting.scheduledAt === null || isTimestamp(meeting.scheduledAt)) &&
    Array.isArray(v.team) &&
    v.team.every((t) => isObject(t) && isString(t.displayName)) &&
    isObject(v.organisation) &&
    isString(v.organisation.name) &&
    (v.organisation.contact === null || isString(v.organisation.contact)) &&
    ROLES.includes(v.role as string) &&
    isString(v.suggestedName) &&
    typeof v.hasCentrePerson === 'boolean' &&
    recording.audioVideoRecorded === false &&
    recording.sharedRecordKept === true &&
    recording.timelineKept === true &&
    recording.speakingTimeShownToFacilitators === true &&
    recording.speakingTimeStored === false
  );
};

export const isMeetingSession: Guard<MeetingSessionResponse> = (v): v is MeetingSessionResponse =>
  isObject(v) &&
  isUuid(v.meetingId) &&
  isUuid(v.participantId) &&
  isString(v.csrfToken) &&
  typeof v.readOnly === 'boolean';

const errorCodeOf = (v: unknown): ErrorCode | null => {
  if (!isObject(v) || !isObject(v.error)) return null;
  const code = v.error.code;
  return isString(code) && Object.hasOwn(ERROR_TEXT, code) ? (code as ErrorCode) : null;
};

/** Whom to ask for a new link, when the server said (one line, bounded like the protocol's). */
const contactOf = (v: unknown): string | null => {
  if (!isObject(v) || !isObject(v.error)) return null;
  const contact = v.error.contact;
  return isString(contact) && contact.trim() !== '' && contact.length <= 200 ? contact : null;
};

async function call<T>(
  path: string,
  init: RequestInit,
  guard: Guard<T>,
  fetcher: typeof fetch,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetcher(path, { credentials: 'same-origin', ...init });
  } catch {
    return { ok: false, code: 'UNAVAILABLE', status: 0 };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && guard(body)) return { ok: true, value: body };
  const code = response.ok ? null : errorCodeOf(body);
  const contact = code === null ? null : contactOf(body);
  return {
    ok: false,
    code: code ?? 'INTERNAL',
    status: response.status,
    ...(contact === null ? {} : { contact }),
  };
}

/** `GET /api/invites/:token`: what the pre-join page shows. */
export const getInvite = (token: string, fetcher: typeof fetch = fetch) =>
  call(
    endpointPath('invitePreview', { params: { token } }),
    { method: 'GET' },
    isInvitePreview,
    fetcher,
  );

/** `POST /api/invites/:token/join`: knock; sets the guest cookie. */
export const joinMeeting = (token: string, body: JoinRequest, fetcher: typeof fetch = fetch) =>
  call(
    endpointPath('join', { params: { token } }),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    isMeetingSession,
    fetcher,
  );
