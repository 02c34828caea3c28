import type { Mode } from '@polyphony/domain';
import type { UpdateMeRequest } from '@polyphony/protocol';
import { isCommandResponse, isEnterMeetingResponse } from 'virtual:checks';
import { callApi } from './client.ts';

// The guest and meeting-room half of the signal API. Every state change carries the session's
// CSRF token when the page has one (see `$lib/room/csrf.ts`).

const csrfHeaders = (csrfToken: string | null): Record<string, string> =>
  csrfToken ? { 'x-csrf-token': csrfToken } : {};

export type ParticipantCommand = 'admit' | 'decline' | 'consent' | 'remove';

/** `POST /api/meetings/:id/participants/:pid/<command>`. */
export const participantCommand = (
  meetingId: string,
  participantId: string,
  command: ParticipantCommand,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callApi(
    {
      method: 'POST',
      path: `/api/meetings/${meetingId}/participants/${participantId}/${command}`,
      body: {},
      headers: csrfHeaders(csrfToken),
      response: isCommandResponse,
    },
    fetcher,
  );

/** `PATCH /api/meetings/:id/participants/me`: companions, or "I'd like to respond". */
export const updateMe = (
  meetingId: string,
  body: UpdateMeRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callApi(
    {
      method: 'PATCH',
      path: `/api/meetings/${meetingId}/participants/me`,
      body,
      headers: csrfHeaders(csrfToken),
      response: isCommandResponse,
    },
    fetcher,
  );

/** `DELETE /api/meetings/:id/participants/me`: leave the meeting (or the waiting room). */
export const leaveMeeting = (meetingId: string, csrfToken: string | null, fetcher?: typeof fetch) =>
  callApi(
    {
      method: 'DELETE',
      path: `/api/meetings/${meetingId}/participants/me`,
      headers: csrfHeaders(csrfToken),
      response: isCommandResponse,
    },
    fetcher,
  );

/**
 * `POST /api/meetings/:id/participants/me`: signed-in staff (re-)enter as their participant; a
 * guest's session knocks again from its page, with who is with them.
 */
export const enterMeeting = (
  meetingId: string,
  companions: readonly string[],
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callApi(
    {
      method: 'POST',
      path: `/api/meetings/${meetingId}/participants/me`,
      body: companions.length > 0 ? { companions: [...companions] } : {},
      headers: csrfHeaders(csrfToken),
      response: isEnterMeetingResponse,
    },
    fetcher,
  );

/** `POST /api/meetings/:id/mode`. */
export const switchMode = (
  meetingId: string,
  mode: Mode,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callApi(
    {
      method: 'POST',
      path: `/api/meetings/${meetingId}/mode`,
      body: { mode },
      headers: csrfHeaders(csrfToken),
      response: isCommandResponse,
    },
    fetcher,
  );

/** `POST /api/meetings/:id/end`. */
export const endMeeting = (meetingId: string, csrfToken: string | null, fetcher?: typeof fetch) =>
  callApi(
    {
      method: 'POST',
      path: `/api/meetings/${meetingId}/end`,
      body: {},
      headers: csrfHeaders(csrfToken),
      response: isCommandResponse,
    },
    fetcher,
  );
