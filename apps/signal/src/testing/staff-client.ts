import type { App } from '../app.ts';
import { TEST_ORIGIN } from './test-app.ts';

export interface CallOptions {
  /** Override the CSRF header: a string to send, null to leave it out. Default: the session's. */
  readonly csrf?: string | null;
  /** Override the Origin header: null to leave it out. Default: the public origin. */
  readonly origin?: string | null;
}

export interface CallResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

/** A browser-like staff client over `app.inject`: keeps the pp_staff cookie and CSRF token. */
export class StaffClient {
  cookie: string | null = null;
  csrfToken: string | null = null;

  constructor(private readonly app: App) {}

  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers['cookie'] = `pp_staff=${this.cookie}`;
    const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
    if (origin !== null) headers['origin'] = origin;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf !== null && method !== 'GET') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    const set = response.cookies.find((c) => c.name === 'pp_staff');
    if (set) this.cookie = set.value === '' ? null : set.value;
    const text = response.body;
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const csrfToken = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof csrfToken === 'string') this.csrfToken = csrfToken;
    return { status: response.statusCode, body: parsed as T, text, headers: response.headers };
  }

  signIn(email: string, password: string) {
    return this.call('POST', '/api/session', { email, password });
  }
}
