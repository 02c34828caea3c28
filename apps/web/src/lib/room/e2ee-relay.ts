import {
  postDeviceKey,
  readE2eeKeys,
  requestKeyResend,
  sendWrappedKeys,
} from '$lib/api/meeting.ts';
import type { E2eeRelay } from './e2ee-keys.ts';

/** The signal service's key relay for one meeting (ADR 0035), with the session's CSRF token. */
export function e2eeRelay(
  meetingId: string,
  csrfToken: () => Promise<string | null>,
  fetcher?: typeof fetch,
): E2eeRelay {
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
