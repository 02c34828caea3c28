import type { ErrorCode } from '@polyphony/protocol';
import { isErrorResponse } from 'virtual:checks';

/** A call's outcome: the validated body, or a coded error the UI can show (`ERROR_TEXT`). */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly status: number;
      /** Whom to ask, on a link that cannot be used (`ErrorResponse.error.contact`). */
      readonly contact?: string;
    };

/** A payload check, compiled from a protocol schema (`virtual:checks`). */
export type Check<T> = (value: unknown) => value is T;

export interface ApiRequest<T> {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Built from the endpoint table (`callEndpoint` in `./endpoints.ts`). */
  readonly path: string;
  readonly body?: unknown;
  /** Extra request headers (the staff API's `X-CSRF-Token`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Check of the success body; anything else is treated as a server fault. */
  readonly response: Check<T>;
}

/** Whom to ask for a new link, when the server said (one line, bounded like the protocol's). */
const contactOf = (contact: string | undefined) =>
  contact !== undefined && contact.trim() !== '' && contact.length <= 200 ? { contact } : {};

/**
 * How the web app's client (`callEndpoint`) reaches the signal service (same origin, cookies
 * included). Every response is checked against the protocol schemas; the network failing is
 * `UNAVAILABLE`.
 */
export async function callApi<T>(
  request: ApiRequest<T>,
  fetcher: typeof fetch = fetch,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetcher(request.path, {
      method: request.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        ...request.headers,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? null : JSON.stringify(request.body),
    });
  } catch {
    return { ok: false, code: 'UNAVAILABLE', status: 0 };
  }
  // No content is `null`, as the endpoint table says (`Type.Null()`).
  const body: unknown =
    response.status === 204 ? null : await response.json().catch(() => undefined);
  if (response.ok && request.response(body)) {
    return { ok: true, value: body };
  }
  if (!response.ok && isErrorResponse(body)) {
    return {
      ok: false,
      code: body.error.code,
      status: response.status,
      ...contactOf(body.error.contact),
    };
  }
  return { ok: false, code: 'INTERNAL', status: response.status };
}
