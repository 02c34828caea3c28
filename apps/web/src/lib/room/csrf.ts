// The meeting session's CSRF token (from joining), kept for this tab so that a reload in the
// room can still send it. It is not a credential on its own: the session cookie is HttpOnly.

import { readTab, writeTab } from '$lib/tab-storage.ts';

const key = (meetingId: string): string => `pp_csrf:${meetingId}`;

export const rememberCsrfToken = (meetingId: string, token: string, storage?: Storage): void =>
  writeTab(key(meetingId), token, storage);

export const csrfTokenFor = (meetingId: string, storage?: Storage): string | null =>
  readTab(key(meetingId), storage);
