import { randomUUID } from 'node:crypto';
import {
  coreTeamMembers,
  coreTeamPeriods,
  hashToken,
  invites,
  meetings,
  networkMembers,
  networks,
  newSecretToken,
  organisations,
  participants,
  staff,
  staffSessions,
} from '@polyphony/db';
import type { MeetingRole } from '@polyphony/domain';
import type { MeetingSessionResponse } from '@polyphony/protocol';
import type { App } from '../app.ts';
import { runCommands } from '../commands/runner.ts';
import { ApiClient, fetchTransport } from '@polyphony/stack';
import { TEST_ORIGIN } from './test-app.ts';

/** A personal link made for a test (as the staff app would make it). */
export interface TestLink {
  readonly token: string;
  readonly participantId: string;
  readonly role: MeetingRole;
  readonly name: string;
}

export interface TestMeeting {
  readonly meetingId: string;
  readonly organisationId: string;
  /** The staff member who created the meeting (core team). */
  readonly hostStaffId: string;
  /** Makes a personal link for someone with this role (an interpreter's names `language`). */
  link(role: MeetingRole, name: string, staffId?: string, language?: string): Promise<TestLink>;
}

/**
 * An organisation, a network with one core-team clinician and a meeting that has not started.
 * Links are made through the command runner (the domain's `invite`), like the staff app does.
 */
export async function createTestMeeting(app: App): Promise<TestMeeting> {
  const db = app.database.db;
  const [org] = await db.insert(organisations).values({ name: 'Test organisation' }).returning();
  const [host] = await db
    .insert(staff)
    .values({
      organisationId: org!.id,
      email: `host-${randomUUID()}@example.org`,
      displayName: 'Dr Host Clinician',
      role: 'clinician',
      passwordHash: 'not-used',
    })
    .returning();
  const [network] = await db
    .insert(networks)
    .values({ organisationId: org!.id, label: 'Test network', firstContactAt: new Date() })
    .returning();
  await db.insert(coreTeamMembers).values({ networkId: network!.id, staffId: host!.id });
  await db
    .insert(coreTeamPeriods)
    .values({ networkId: network!.id, staffId: host!.id, from: new Date(0) });
  const [meeting] = await db
    .insert(meetings)
    .values({ networkId: network!.id, createdBy: host!.id })
    .returning();
  const meetingId = meeting!.id;
  return {
    meetingId,
    organisationId: org!.id,
    hostStaffId: host!.id,
    async link(role, name, staffId, language) {
      const token = newSecretToken();
      const participantId = randomUUID();
      const member = staffId
        ? null
        : (
            await db
              .insert(networkMembers)
              .values({ networkId: network!.id, name, isCentre: role === 'centre' })
              .returning()
          )[0]!;
      await runCommands(app.commands, meetingId, async (tx) => {
        const [invite] = await tx
          .insert(invites)
          .values({
            meetingId,
            networkMemberId: member?.id ?? null,
            staffId: staffId ?? null,
            role,
            tokenHash: hashToken(token),
            expiresAt: new Date(Date.now() + 86_400_000),
            createdBy: host!.id,
          })
          .returning();
        await tx.insert(participants).values({
          id: participantId,
          meetingId,
          inviteId: invite!.id,
          staffId: staffId ?? null,
          role,
          displayName: name,
          language: language ?? null,
          state: 'invited',
        });
        return {
          commands: [{ type: 'invite', actorId: host!.id, participantId, role }],
          actor: { staffId: host!.id },
        };
      });
      return { token, participantId, role, name };
    },
  };
}

/** A signed-in staff member (session row made directly; sign-in itself is tested elsewhere). */
export async function createStaffSession(
  app: App,
  organisationId: string,
  displayName: string,
): Promise<{ staffId: string; cookie: string; csrfToken: string }> {
  const db = app.database.db;
  const [member] = await db
    .insert(staff)
    .values({
      organisationId,
      email: `staff-${randomUUID()}@example.org`,
      displayName,
      role: 'clinician',
      passwordHash: 'not-used',
    })
    .returning();
  return { staffId: member!.id, ...(await staffSessionFor(app, member!.id)) };
}

/** A session for an existing staff member. */
export async function staffSessionFor(
  app: App,
  staffId: string,
): Promise<{ cookie: string; csrfToken: string }> {
  const token = newSecretToken();
  const csrfToken = newSecretToken();
  await app.database.db.insert(staffSessions).values({
    staffId,
    tokenHash: hashToken(token),
    csrfTokenHash: hashToken(csrfToken),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return { cookie: `pp_staff=${token}`, csrfToken };
}

/** A browser's session in a meeting: its cookie and CSRF token. */
export interface Session {
  readonly participantId: string;
  readonly meetingId: string;
  readonly cookie: string;
  readonly csrfToken: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export type HttpClient = ReturnType<typeof httpClient>;

/**
 * Plain HTTP against the test app, as the web app would call it: the tests' one HTTP client
 * (`ApiClient`) over the network, one per call with the session given.
 */
export function httpClient(
  /** The app's address, or how to read it once the app has started. */
  baseUrl: string | (() => string),
) {
  const transport = fetchTransport(baseUrl);
  async function call(
    method: string,
    path: string,
    opts: { session?: Session; body?: unknown; origin?: string | null; csrf?: string } = {},
  ): Promise<HttpAnswer> {
    const client = new ApiClient(transport, TEST_ORIGIN);
    if (opts.session) {
      const [name, value] = opts.session.cookie.split('=') as [string, string];
      client.cookies.set(name, value);
      client.csrfToken = opts.csrf ?? opts.session.csrfToken;
    }
    const res = await client.request(method, path, opts.body, {
      ...(opts.origin === null ? { origin: null } : opts.origin ? { origin: opts.origin } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      for (const one of Array.isArray(v) ? v : v === undefined ? [] : [String(v)]) {
        headers.append(k, one);
      }
    }
    return {
      status: res.status,
      body: (res.body ?? {}) as Record<string, unknown>,
      headers,
    };
  }

  return {
    call,
    /** Opens a link and knocks; the session from the cookie and the CSRF token. */
    async join(link: TestLink, companions: string[] = [], name = link.name) {
      const res = await call('POST', `/api/invites/${link.token}/join`, {
        body: { displayName: name, companions },
      });
      if (res.status !== 200) return { res, session: null };
      const setCookie = res.headers.get('set-cookie') ?? '';
      const cookie = setCookie.split(';')[0]!;
      const body = res.body as unknown as MeetingSessionResponse;
      const session: Session = {
        participantId: body.participantId,
        meetingId: body.meetingId,
        cookie,
        csrfToken: body.csrfToken,
      };
      return { res, session };
    },
    /** A participant command on `/api/meetings/:id/participants/:pid/<action>`. */
    act(session: Session, action: 'admit' | 'decline' | 'consent' | 'remove', target: string) {
      return call('POST', `/api/meetings/${session.meetingId}/participants/${target}/${action}`, {
        session,
      });
    },
    mode(session: Session, mode: 'dialogue' | 'reflecting') {
      return call('POST', `/api/meetings/${session.meetingId}/mode`, { session, body: { mode } });
    },
  };
}
