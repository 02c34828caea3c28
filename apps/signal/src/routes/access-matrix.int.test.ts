// Every endpoint of the table, called as every caller of the access matrix (docs/api-access.md):
// the answer is the one `accessAnswer` says, so the page reviewers read is what the service does.
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import {
  ACCESS_REFUSALS,
  accessAnswer,
  CALLERS,
  CLOSE_CODES,
  ENDPOINTS,
  type AccessKind,
  type Caller,
  type CreatedInvite,
  type CreateMeetingResponse,
  type EndpointSpec,
  type NetworkDetail,
  type NetworkMember,
} from '@polyphony/protocol';
import { ApiClient } from '@polyphony/stack';
import { staffSessionFor, type Session } from '../testing/meeting-harness.ts';
import { injectTransport } from '../testing/staff-client.ts';
import { asSchema, sample } from '../testing/schema-sample.ts';
import { addStaff, setUp } from '../testing/staff-fixture.ts';
import { TEST_ORIGIN } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

const EVIL = 'https://evil.example';
const NO_SUCH_TOKEN = 'n'.repeat(43);
/** The caller a refusal-by-one-thing-wrong starts from: the first one let through. */
const RIGHTFUL: Readonly<Record<AccessKind, Caller>> = {
  operator: 'anonymous',
  public: 'anonymous',
  webhook: 'anonymous',
  staff: 'staff',
  admin: 'admin',
  participant: 'guestHere',
  link: 'linkHolder',
};
/** Endpoints that end things come last, so every other call meets a running meeting. */
const LAST = ['remove', 'leave', 'endMeeting'];
const ORDERED = (Object.entries(ENDPOINTS) as [string, EndpointSpec][]).sort(
  ([a], [b]) => LAST.indexOf(a) - LAST.indexOf(b),
);

interface Credentials {
  readonly cookie?: string;
  readonly csrf?: string;
}

describe.each(testDatabaseTargets().slice(0, 1))('the access matrix on $name', (target) => {
  const t = useTestApp(target, {
    livekit: 'plain',
    linkUsesPerMinute: 100_000,
    signInLimits: { perIp: 100_000, perEmail: 100_000 },
  });

  async function world() {
    const { admin, me } = await setUp(t.app, 'Matrix organisation');
    const clinician = await addStaff(t.app, admin, 'clinician', 'Dr Outside');
    // The account the staff-administration endpoints act on (disabled, given a setup link).
    const spareStaff = await addStaff(t.app, admin, 'peer_worker', 'Spare Staff');
    const network = await admin.call<NetworkDetail>('POST', '/api/networks', {
      label: 'Matrix network',
      firstContactAt: new Date().toISOString(),
      coreTeamStaffIds: [me.staff.id],
    });
    const networkId = network.body.id;
    const addMember = async (name: string, isCentre = false) =>
      (
        await admin.call<NetworkMember>('POST', `/api/networks/${networkId}/members`, {
          name,
          relationship: 'family',
          isCentre,
        })
      ).body;
    const centre = await addMember('Centre Person', true);
    const linky = await addMember('Link Holder');
    const meetings = await Promise.all(
      [0, 1].map(() =>
        admin.call<CreateMeetingResponse>('POST', `/api/networks/${networkId}/meetings`, {
          kind: 'immediate',
          inviteEveryone: true,
        }),
      ),
    );
    const [here, elsewhere] = meetings.map((m) => m.body);
    const meetingId = here!.meeting.meeting.id;
    const linkOf = (m: CreateMeetingResponse, memberId: string) =>
      m.links.find((l) => l.invite.memberId === memberId)!;
    const spare = await addMember('Spare Member');
    const spareInvite = await admin.call<CreatedInvite>(
      'POST',
      `/api/meetings/${meetingId}/invites`,
      { memberId: spare.id },
    );
    const knock = (m: CreateMeetingResponse, name: string) =>
      t.join({ token: linkOf(m, centre.id).token, participantId: '', role: 'centre', name });
    const guestHere = await knock(here!, 'Guest Here');
    const guestElsewhere = await knock(elsewhere!, 'Guest Elsewhere');
    const params: Record<string, string> = {
      memberId: spare.id,
      inviteId: spareInvite.body.invite.id,
      pid: guestHere.participantId,
    };
    return {
      adminId: me.staff.id,
      clinicianId: clinician.member.id,
      spareStaffId: spareStaff.member.id,
      networkId,
      meetingId,
      params,
      linkToken: linkOf(here!, linky.id).token,
      guestHere,
      guestElsewhere,
    };
  }
  type World = Awaited<ReturnType<typeof world>>;

  const guestCredentials = (s: Session): Credentials => ({ cookie: s.cookie, csrf: s.csrfToken });

  /** Who calls: their cookie and CSRF token (a fresh staff session each call: sign-out ends one). */
  async function credentials(w: World, who: Caller): Promise<Credentials> {
    if (who === 'staff' || who === 'admin') {
      const s = await staffSessionFor(t.app, who === 'staff' ? w.clinicianId : w.adminId);
      return { cookie: s.cookie, csrf: s.csrfToken };
    }
    if (who === 'guestHere') return guestCredentials(w.guestHere);
    if (who === 'guestElsewhere') return guestCredentials(w.guestElsewhere);
    return {};
  }

  async function call(w: World, name: string, e: EndpointSpec, caller: Caller) {
    const who = ['wrongOrigin', 'noCsrf', 'wrongCsrf'].includes(caller)
      ? RIGHTFUL[e.access]
      : caller;
    const { cookie, csrf } = await credentials(w, who);
    const params = {
      ...w.params,
      id: e.path.startsWith('/api/networks')
        ? w.networkId
        : e.path.startsWith('/api/staff/')
          ? w.spareStaffId
          : w.meetingId,
      token: who === 'linkHolder' ? w.linkToken : NO_SUCH_TOKEN,
    };
    const origin = caller === 'wrongOrigin' ? EVIL : TEST_ORIGIN;
    if (e.websocket) {
      return live(params.id, { origin, ...(cookie ? { cookie } : {}) });
    }
    // The tests' one HTTP client, as this caller's page: its cookie, Origin and token.
    const client = new ApiClient(injectTransport(t.app), TEST_ORIGIN);
    if (cookie) {
      const [cookieName, value] = cookie.split('=') as [string, string];
      client.cookies.set(cookieName, value);
    }
    const sent = caller === 'noCsrf' ? null : caller === 'wrongCsrf' ? 'W'.repeat(43) : csrf;
    const res = await client.endpoint(
      name as 'setup',
      {
        params: params as never,
        ...(e.body ? { body: sample(asSchema(e.body)) as never } : {}),
        ...(e.query ? { query: sample(asSchema(e.query)) as never } : {}),
      },
      { origin, csrf: sent ?? null },
    );
    const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code ?? null;
    return { what: `${name} as ${caller} → ${res.status} ${code ?? ''}`, code, status: res.status };
  }

  /** The live channel: let through means a snapshot; refusals are close codes. */
  async function live(meetingId: string, headers: Record<string, string>) {
    const client = t.live(
      { meetingId, cookie: headers['cookie'] },
      {
        origin: headers['origin'],
      },
    );
    const first = await Promise.race([
      client.next(30_000).then((m) => ({ message: m.type })),
      client.closed.then((c) => ({ closed: c.code })),
    ]);
    client.ws.close();
    const byClose: Record<number, string> = {
      [CLOSE_CODES.UNAUTHENTICATED]: 'UNAUTHENTICATED',
      [CLOSE_CODES.FORBIDDEN]: 'FORBIDDEN',
      [CLOSE_CODES.NOT_FOUND]: 'NOT_FOUND',
    };
    const code = 'closed' in first ? (byClose[first.closed] ?? `close ${first.closed}`) : null;
    return { what: `live → ${JSON.stringify(first)}`, code, status: code ? 400 : 101 };
  }

  it('answers every endpoint, for every caller, as docs/api-access.md says', async () => {
    const w = await world();
    const failures: string[] = [];
    let calls = 0;
    for (const [name, e] of ORDERED) {
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        const expected = accessAnswer(e, caller);
        const answer = await call(w, name, e, caller);
        calls += 1;
        if (answer.status >= 500) {
          failures.push(`${answer.what}: a server error`);
        } else if (expected === 'allowed') {
          // A handler may refuse for its own reasons (a staff member without a place who may
          // not take one answers NOT_A_PARTICIPANT from the handler, not the hook).
          const refusals = ACCESS_REFUSALS[e.access].filter(
            (c) => !(e.staffWithoutPlace && c === 'NOT_A_PARTICIPANT'),
          );
          if (answer.code && (refusals as string[]).includes(answer.code)) {
            failures.push(`${answer.what}: expected to be let through`);
          }
        } else {
          // The live channel closes 4403 both for another site and for someone not in it.
          const code = e.websocket && expected !== 'UNAUTHENTICATED' ? 'FORBIDDEN' : expected;
          if (answer.code !== code) failures.push(`${answer.what}: expected ${expected}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBe(Object.keys(ENDPOINTS).length * Object.keys(CALLERS).length);
  });
});
