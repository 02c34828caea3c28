// The meeting session's CSRF token (from joining), kept for this tab so that a reload in the
// room can still send it. It is not a credential on its own: the session cookie is HttpOnly.

const key = (meetingId: string): string => `pp_csrf:${meetingId}`;

export function rememberCsrfToken(
  meetingId: string,
  token: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.setItem(key(meetingId), token);
  } catch {
    // Storage may be unavailable (private mode); the Origin check still protects the request.
  }
}

export function csrfTokenFor(
  meetingId: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): string | null {
  try {
    return storage?.getItem(key(meetingId)) ?? null;
  } catch {
    return null;
  }
}
