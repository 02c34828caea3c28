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

export class ApiClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(
    /** Where requests go: the web origin (through its /api proxy) or the signal service. */
    readonly base: string,
    /** The product's public origin, sent as `Origin`. */
    readonly origin: string,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Origin: this.origin };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader();
    if (this.csrfToken && method !== 'GET') headers['X-CSRF-Token'] = this.csrfToken;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const code = (json as { error?: { code?: string } } | null)?.error?.code ?? 'UNKNOWN';
      throw new ApiError(res.status, code);
    }
    const csrf = (json as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof csrf === 'string') this.csrfToken = csrf;
    return json as T;
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
 * First-run setup, a network with the given members (the admin in its core team) and an
 * immediate meeting with a personal link for everyone.
 */
export async function prepareMeeting(
  base: string,
  origin: string,
  members: readonly MemberSpec[],
): Promise<PreparedMeeting> {
  const admin = new ApiClient(base, origin);
  await admin.call('POST', '/api/setup', {
    organisationName: 'Test care team',
    displayName: 'Dr Lee',
    email: `lee-${Date.now()}@example.test`,
    password: PASSWORD,
  });
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
