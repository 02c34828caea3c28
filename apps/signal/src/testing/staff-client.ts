import { ApiClient, type ApiAnswer, type RequestOptions, type Transport } from '@polyphony/stack';
import type { App } from '../app.ts';
import { TEST_ORIGIN } from './test-app.ts';

export type CallOptions = RequestOptions;
export type CallResult<T = unknown> = ApiAnswer<T>;

/** Requests into the app in-process (`app.inject`), as the network would carry them. */
export function injectTransport(app: App): Transport {
  return async ({ method, path, headers, body }) => {
    const response = await app.inject({
      method: method as 'GET',
      url: path,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    const raw = response.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    return {
      status: response.statusCode,
      headers: response.headers,
      setCookies,
      text: response.body,
    };
  };
}

/**
 * A browser-like staff client over `app.inject`: the tests' one HTTP client (`ApiClient`), in
 * process. It keeps the pp_staff cookie and the CSRF token.
 */
export class StaffClient {
  readonly api: ApiClient;

  constructor(app: App) {
    this.api = new ApiClient(injectTransport(app), TEST_ORIGIN);
  }

  /** The staff session cookie's value (null when signed out). */
  get cookie(): string | null {
    return this.api.cookies.get('pp_staff') ?? null;
  }

  set cookie(value: string | null) {
    if (value === null) this.api.cookies.delete('pp_staff');
    else this.api.cookies.set('pp_staff', value);
  }

  get csrfToken(): string | null {
    return this.api.csrfToken;
  }

  set csrfToken(value: string | null) {
    this.api.csrfToken = value;
  }

  /** Any request (tests call paths outside the table too); never throws for a status. */
  call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    return this.api.request<T>(method, url, body, options);
  }

  /** One endpoint of the table, by name. */
  get endpoint(): ApiClient['endpoint'] {
    return this.api.endpoint.bind(this.api);
  }

  signIn(email: string, password: string) {
    return this.api.endpoint('signIn', { body: { email, password } });
  }
}
