import type { Mode } from '@polyphony/domain';
import type {
  DeviceKeyRequest,
  KeyResendRequest,
  UpdateMeRequest,
  WrappedKeysRequest,
} from '@polyphony/protocol';
import {
  isCommandResponse,
  isDeviceKeyResponse,
  isE2eeStateResponse,
  isEnterMeetingResponse,
  isWrappedKeysResponse,
  isKeyResendResponse,
} from 'virtual:checks';
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

/** `POST /api/meetings/:id/settings`: end-to-end encryption on or off. */
export const setEncryption = (
  meetingId: string,
  on: boolean,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'changeSettings',
    { params: { id: meetingId }, body: { endToEndEncrypted: on } },
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

/** End-to-end encryption's relay (ADR 0035): this device's public key, once per admission. */
export const postDeviceKey = (
  meetingId: string,
  body: DeviceKeyRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'postDeviceKey',
    { params: { id: meetingId }, body },
    isDeviceKeyResponse,
    options(csrfToken, fetcher),
  );

/** The device keys of everyone admitted now, and the media keys wrapped for this device. */
export const readE2eeKeys = (meetingId: string, fetcher?: typeof fetch) =>
  callEndpoint(
    'e2eeKeys',
    { params: { id: meetingId } },
    isE2eeStateResponse,
    options(null, fetcher),
  );

/** One's new media key, wrapped once per recipient. */
export const sendWrappedKeys = (
  meetingId: string,
  body: WrappedKeysRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'sendWrappedKeys',
    { params: { id: meetingId }, body },
    isWrappedKeysResponse,
    options(csrfToken, fetcher),
  );

/** "Resend keys": asks `body.from` to wrap its current media key for this device again. */
export const requestKeyResend = (
  meetingId: string,
  body: KeyResendRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint(
    'requestKeyResend',
    { params: { id: meetingId }, body },
    isKeyResendResponse,
    options(csrfToken, fetcher),
  );
