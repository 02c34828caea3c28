import type { Mode } from '@polyphony/domain';
import type { UpdateMeRequest } from '@polyphony/protocol';
import { isCommandResponse, isEnterMeetingResponse } from 'virtual:checks';
import { callEndpoint } from './endpoints.ts';

// The guest and meeting-room half of the signal API. Every state change carries the session's
// CSRF token when the page has one (see `$lib/room/csrf.ts`).

export type ParticipantCommand = 'admit' | 'decline' | 'consent' | 'remove';

const options = (csrfToken: string | null, fetcher?: typeof fetch) => ({
  csrfToken,
  ...(fetcher ? { fetcher } : {}),
});

/** `POST /api/meetings/:id/participants/:pid/<command>`. */
export const participantCommand = (
  meetingId: string,
  participantId: string,
  command: ParticipantCommand,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    command,
    { params: { id: meetingId, pid: participantId } },
    isCommandResponse,
    options(csrfToken, fetcher),
  );

/** `PATCH /api/meetings/:id/participants/me`: companions, or "I'd like to respond". */
export const updateMe = (
  meetingId: string,
  body: UpdateMeRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'updateMe',
    { params: { id: meetingId }, body },
    isCommandResponse,
    options(csrfToken, fetcher),
  );

/** `DELETE /api/meetings/:id/participants/me`: leave the meeting (or the waiting room). */
export const leaveMeeting = (meetingId: string, csrfToken: string | null, fetcher?: typeof fetch) =>
  callEndpoint(
    'leave',
    { params: { id: meetingId } },
    isCommandResponse,
    options(csrfToken, fetcher),
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
  callEndpoint(
    'enter',
    {
      params: { id: meetingId },
      body: companions.length > 0 ? { companions: [...companions] } : {},
    },
    isEnterMeetingResponse,
    options(csrfToken, fetcher),
  );

/** `POST /api/meetings/:id/mode`. */
export const switchMode = (
  meetingId: string,
  mode: Mode,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'switchMode',
    { params: { id: meetingId }, body: { mode } },
    isCommandResponse,
    options(csrfToken, fetcher),
  );

/** `POST /api/meetings/:id/end`. */
export const endMeeting = (meetingId: string, csrfToken: string | null, fetcher?: typeof fetch) =>
  callEndpoint(
    'endMeeting',
    { params: { id: meetingId } },
    isCommandResponse,
    options(csrfToken, fetcher),
  );
