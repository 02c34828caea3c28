import {
  postDeviceKey,
  readE2eeKeys,
  requestKeyResend,
  sendWrappedKeys,
} from '$lib/api/meeting.ts';
import type { E2eeRelay } from './e2ee-keys.ts';

/**
 * How long one relay request may take. The key manager reads one at a time, so a request that
 * hangs (a stalled connection on a loaded server) would hold back every later read and with it
 * each rotation; given up, it is tried again at the next read.
 */
export const RELAY_TIMEOUT_MS = 8000;

/** The signal service's key relay for one meeting (ADR 0035), with the session's CSRF token. */
export function e2eeRelay(
  meetingId: string,
  csrfToken: () => Promise<string | null>,
  base: typeof fetch = fetch,
  timeoutMs = RELAY_TIMEOUT_MS,
): E2eeRelay {
  const fetcher: typeof fetch = (input, init) =>
    base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return {
    async postDeviceKey(body) {
      return (await postDeviceKey(meetingId, body, await csrfToken(), fetcher)).ok;
    },
    async read() {
      const result = await readE2eeKeys(meetingId, fetcher);
      return result.ok ? result.value : null;
    },
    async sendWrapped(body) {
      return (await sendWrappedKeys(meetingId, body, await csrfToken(), fetcher)).ok;
    },
    async requestResend(body) {
      return (await requestKeyResend(meetingId, body, await csrfToken(), fetcher)).ok;
    },
  };
}
