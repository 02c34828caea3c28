import {
  buildPath,
  ENDPOINTS,
  type BodyOf,
  type EndpointName,
  type Endpoints,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '@polyphony/protocol';

/**
 * Drives the product's own HTTP API as a browser would — cookies, CSRF header, the product's
 * Origin — for benchmarks and tests that need real meetings without clicking through pages.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

/** One HTTP exchange, whatever carries it (the network, or Fastify's `inject` in-process). */
export interface HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly setCookies: readonly string[];
  readonly text: string;
}

export type Transport = (exchange: HttpExchange) => Promise<HttpReply>;

/** Requests over the network to `base` (the web origin, or the signal service itself). */
export function fetchTransport(base: string | (() => string)): Transport {
  const at = typeof base === 'string' ? () => base : base;
  return async ({ method, path, headers, body }) => {
    const res = await fetch(`${at()}${path}`, { method, headers, body: body ?? null });
    const setCookies = res.headers.getSetCookie();
    const plain: Record<string, string | string[]> = Object.fromEntries(res.headers);
    if (setCookies.length > 0) plain['set-cookie'] = setCookies;
    return { status: res.status, headers: plain, setCookies, text: await res.text() };
  };
}

/** What every request may change from the browser-like defaults. */
export interface RequestOptions {
  /** The CSRF header: a string to send, null to leave it out. Default: the session's. */
  readonly csrf?: string | null;
  /** The Origin header: null to leave it out. Default: the product's origin. */
  readonly origin?: string | null;
}

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  /** The parsed JSON body (undefined when there is none or it is not JSON). */
  readonly body: T;
  readonly text: string;
  readonly headers: HttpReply['headers'];
}

/** Path parameters, query and body of one endpoint of the table. */
export interface EndpointCall<N extends EndpointName> {
  readonly params?: ParamsOf<Endpoints[N]>;
  readonly query?: QueryOf<Endpoints[N]>;
  readonly body?: BodyOf<Endpoints[N]>;
}

/**
 * The one HTTP client of the tests and benchmarks: it behaves like a browser on the product's
 * pages (keeps cookies, sends the product's `Origin` and the session's CSRF token on state
 * changes, learns a CSRF token from any answer that carries one) and calls endpoints by their
 * name in the endpoint table. Over the network or in-process (`Transport`).
 */
export class ApiClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;
  readonly transport: Transport;

  constructor(
    /** Where requests go: a base URL (the web origin or the signal service), or a transport. */
    base: string | Transport,
    /** The product's public origin, sent as `Origin`. */
    readonly origin: string,
  ) {
    this.transport = typeof base === 'string' ? fetchTransport(base) : base;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Any request, as the browser would send it; never throws for a status. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {};
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers['origin'] = origin;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers['cookie'] = this.cookieHeader();
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf !== null && method !== 'GET') headers['x-csrf-token'] = csrf;
    const reply = await this.transport({
      method,
      path,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const c of reply.setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    let parsed: unknown = undefined;
    try {
      parsed = reply.text ? JSON.parse(reply.text) : undefined;
    } catch {
      parsed = undefined;
    }
    const learnt = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof learnt === 'string') this.csrfToken = learnt;
    return { status: reply.status, body: parsed as T, text: reply.text, headers: reply.headers };
  }

  /** One endpoint of the table by name: its method and path come from `ENDPOINTS`. */
  endpoint<N extends EndpointName>(
    name: N,
    call: EndpointCall<N> = {},
    options: RequestOptions = {},
  ): Promise<ApiAnswer<ResponseOf<Endpoints[N]>>> {
    const { method, path } = ENDPOINTS[name];
    const filled = buildPath(path, call.params as Record<string, string> | undefined);
    const query = call.query
      ? `?${new URLSearchParams(call.query as Record<string, string>).toString()}`
      : '';
    return this.request(method, `${filled}${query}`, call.body, options);
  }

  /** As `request`, for set-up code: the body of a success, else throws `ApiError`. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status < 200 || res.status >= 300) {
      const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
      throw new ApiError(res.status, code ?? 'UNKNOWN');
    }
    return (res.body ?? null) as T;
  }
}

export interface MemberSpec {
  readonly name: string;
  readonly relationship: string;
  readonly isCentre?: boolean;
  readonly preApproved?: boolean;
}

export interface Link {
  readonly name: string;
  readonly role: string;
  readonly token: string;
  readonly url: string;
  readonly memberId: string | null;
  readonly staffId: string | null;
}

export interface PreparedMeeting {
  readonly admin: ApiClient;
  readonly adminStaffId: string;
  readonly networkId: string;
  readonly meetingId: string;
  readonly links: readonly Link[];
}

const PASSWORD = 'correct horse battery staple';

/**
 * First-run setup (unless `admin`, signed in already, is given), a network with the given
 * members (the admin in its core team) and an immediate meeting with a personal link for everyone.
 */
export async function prepareMeeting(
  base: string,
  origin: string,
  members: readonly MemberSpec[],
  signedIn?: ApiClient,
): Promise<PreparedMeeting> {
  const admin = signedIn ?? new ApiClient(base, origin);
  if (!signedIn) {
    await admin.call('POST', '/api/setup', {
      organisationName: 'Test care team',
      displayName: 'Dr Lee',
      email: `lee-${Date.now()}@example.test`,
      password: PASSWORD,
    });
  }
  const me = await admin.call<{ staff: { id: string } }>('GET', '/api/me');
  const network = await admin.call<{ id: string }>('POST', '/api/networks', {
    label: 'Network',
    firstContactAt: new Date().toISOString(),
    coreTeamStaffIds: [me.staff.id],
  });
  for (const m of members) {
    const added = await admin.call<{ id: string }>('POST', `/api/networks/${network.id}/members`, {
      name: m.name,
      relationship: m.relationship,
      isCentre: m.isCentre ?? false,
    });
    if (m.preApproved) {
      await admin.call('PATCH', `/api/networks/${network.id}/members/${added.id}`, {
        preApproved: true,
      });
    }
  }
  const created = await admin.call<{
    meeting: { meeting: { id: string } };
    links: { invite: Omit<Link, 'token' | 'url'>; token: string; url: string }[];
  }>('POST', `/api/networks/${network.id}/meetings`, { kind: 'immediate', inviteEveryone: true });
  return {
    admin,
    adminStaffId: me.staff.id,
    networkId: network.id,
    meetingId: created.meeting.meeting.id,
    links: created.links.map((l) => ({
      name: l.invite.name,
      role: l.invite.role,
      memberId: l.invite.memberId,
      staffId: l.invite.staffId,
      token: l.token,
      url: l.url,
    })),
  };
}

export interface GuestSession {
  readonly client: ApiClient;
  readonly meetingId: string;
  readonly participantId: string;
}

/** Opens a personal link and knocks: the guest lands in the lobby with a session cookie. */
export async function joinByLink(
  base: string,
  origin: string,
  token: string,
  displayName: string,
  companions: readonly string[] = [],
): Promise<GuestSession> {
  const client = new ApiClient(base, origin);
  const joined = await client.call<{ meetingId: string; participantId: string }>(
    'POST',
    `/api/invites/${token}/join`,
    { displayName, companions },
  );
  return { client, meetingId: joined.meetingId, participantId: joined.participantId };
}
