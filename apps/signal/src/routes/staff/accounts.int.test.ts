// Staff administration over a year: disabling and enabling people, one's own password, and
// the one-time setup link an admin sends. A session that ends answers 401 at its next request
// and its live channel closes with 4401, on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { organisations, staff } from '@polyphony/db';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import {
  CLOSE_CODES,
  type CreateMeetingResponse,
  type NetworkDetail,
  type SetupLinkPreview,
  type SetupLinkResponse,
  type StaffAccount,
  type StaffListResponse,
} from '@polyphony/protocol';
import { SETUP_LINK_TTL_MS } from '@polyphony/domain';
import { staffSessionFor } from '../../testing/meeting-harness.ts';
import { StaffClient } from '../../testing/staff-client.ts';
import {
  NO_LIVEKIT,
  TEST_PASSWORD,
  addStaff,
  setUp,
  uniqueEmail,
} from '../../testing/staff-fixture.ts';
import { startTestApp } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const NEW_PASSWORD = 'a longer passphrase for the new year';

describe.each(testDatabaseTargets())('staff administration on $name', (target) => {
  let clock = Date.now();
  const t = useTestApp(target, {
    now: () => clock,
    signInLimits: { perIp: 100_000, perEmail: 100_000 },
  });

  let admin: StaffClient;
  let adminId: string;
  let adminEmail: string;
  beforeAll(async () => {
    const done = await setUp(t.app, 'Admin team');
    admin = done.admin;
    adminId = done.me.staff.id;
    adminEmail = done.me.staff.email;
  });

  /** An admin of another organisation (or of `organisationId`), signed in. */
  async function strangerAdmin(organisationId?: string) {
    const db = t.db.database.db;
    const orgId =
      organisationId ??
      (await db.insert(organisations).values({ name: 'Another team' }).returning())[0]!.id;
    const [row] = await db
      .insert(staff)
      .values({
        organisationId: orgId,
        email: uniqueEmail('far'),
        displayName: 'Far Admin',
        role: 'admin',
        passwordHash: 'not-used',
      })
      .returning();
    const session = await staffSessionFor(t.app, row!.id);
    const client = new StaffClient(t.app);
    client.cookie = session.cookie.replace('pp_staff=', '');
    client.csrfToken = session.csrfToken;
    return { client, id: row!.id, organisationId: orgId };
  }

  /** A second client of the same person: another browser, signed in with the same password. */
  async function secondSession(email: string, password = TEST_PASSWORD) {
    const client = new StaffClient(t.app);
    expect((await client.signIn(email, password)).status).toBe(200);
    return client;
  }

  /** The person has a place in a live meeting and its live channel open. */
  async function liveChannelOf(
    who: StaffClient,
    staffId: string,
    on?: Awaited<ReturnType<typeof startTestApp>>,
  ) {
    const network = await admin.call<NetworkDetail>('POST', '/api/networks', {
      label: 'Episode',
      firstContactAt: new Date(clock).toISOString(),
      coreTeamStaffIds: [staffId],
    });
    const meeting = await admin.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.body.id}/meetings`,
      { kind: 'immediate' },
    );
    const meetingId = meeting.body.meeting.meeting.id;
    const entered = await who.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
    expect(entered.status).toBeLessThan(300);
    const live = t.live({ meetingId, cookie: `pp_staff=${who.cookie}` }, on ? { on } : {});
    expect((await live.next(30_000)).type).toBe('snapshot');
    return live;
  }

  it('the last enabled admin cannot be disabled; with a second admin one can go', async () => {
    const self = await admin.call('PATCH', `/api/staff/${adminId}`, { disabled: true });
    expect(self).toMatchObject({ status: 409, body: { error: { code: 'LAST_ADMIN' } } });
    const second = await addStaff(t.app, admin, 'admin', 'Bea Admin');
    const first = await second.client.call('PATCH', `/api/staff/${adminId}`, {
      disabled: true,
    });
    expect(first.status).toBe(200);
    const last = await second.client.call('PATCH', `/api/staff/${second.member.id}`, {
      disabled: true,
    });
    expect(last).toMatchObject({ status: 409, body: { error: { code: 'LAST_ADMIN' } } });
    expect((await admin.call('GET', '/api/me')).status).toBe(401);
    // Back on, for the other tests: Ada signs in again.
    const back = await second.client.call('PATCH', `/api/staff/${adminId}`, { disabled: false });
    expect(back.status).toBe(200);
    admin = new StaffClient(t.app);
    expect((await admin.signIn(adminEmail, TEST_PASSWORD)).status).toBe(200);
  });

  it('a disabled person is signed out at once everywhere and cannot sign in; enabling lets them', async () => {
    const dr = await addStaff(t.app, admin, 'clinician', 'Dr Leaving');
    const other = await secondSession(dr.email);
    const live = await liveChannelOf(dr.client, dr.member.id);

    const off = await admin.call<StaffAccount>('PATCH', `/api/staff/${dr.member.id}`, {
      disabled: true,
    });
    expect(off).toMatchObject({ status: 200, body: { id: dr.member.id, disabled: true } });
    expect((await live.closed).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    for (const session of [dr.client, other]) {
      const res = await session.call('GET', '/api/me');
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    }
    expect((await new StaffClient(t.app).signIn(dr.email, TEST_PASSWORD)).status).toBe(401);
    const list = await admin.call<StaffListResponse>('GET', '/api/staff');
    expect(list.body.staff.find((s) => s.id === dr.member.id)?.disabled).toBe(true);

    const on = await admin.call<StaffAccount>('PATCH', `/api/staff/${dr.member.id}`, {
      disabled: false,
    });
    expect(on.body.disabled).toBe(false);
    expect((await new StaffClient(t.app).signIn(dr.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('two admins disabling each other at the same moment leave one of them', async () => {
    const a = await strangerAdmin();
    const b = await strangerAdmin(a.organisationId);
    const answers = await Promise.all([
      a.client.call('PATCH', `/api/staff/${b.id}`, { disabled: true }),
      b.client.call('PATCH', `/api/staff/${a.id}`, { disabled: true }),
    ]);
    const statuses = answers.map((r) => r.status);
    // The second waits for the first's lock: refused (409), or signed out already (401).
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
    const enabled = await rawQuery<{ n: number }>(
      t.db.database,
      `select count(*)::int as n from staff where organisation_id = $1 and disabled_at is null`,
      [a.organisationId],
    );
    expect(enabled[0]!.n).toBe(1);
  });

  it('a clinician may not disable anyone, nor an admin someone of another organisation', async () => {
    const dr = await addStaff(t.app, admin, 'clinician', 'Dr Own');
    const res = await dr.client.call('PATCH', `/api/staff/${dr.member.id}`, { disabled: true });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const { client: stranger } = await strangerAdmin();
    const far = await stranger.call('PATCH', `/api/staff/${dr.member.id}`, { disabled: true });
    expect(far).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('a disabled person’s live channel on another node closes too (NOTIFY)', async () => {
    const other = await startTestApp(t.db.database, NO_LIVEKIT, { now: () => clock });
    try {
      const dr = await addStaff(t.app, admin, 'clinician', 'Dr Elsewhere');
      const live = await liveChannelOf(dr.client, dr.member.id, other);
      const off = await admin.call('PATCH', `/api/staff/${dr.member.id}`, { disabled: true });
      expect(off.status).toBe(200);
      expect((await live.closed).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    } finally {
      await other.close();
    }
  });

  it('changing one’s password ends every other session and keeps this one', async () => {
    const dr = await addStaff(t.app, admin, 'clinician', 'Dr Careful');
    const other = await secondSession(dr.email);
    const live = await liveChannelOf(other, dr.member.id);

    const wrong = await dr.client.call('POST', '/api/me/password', {
      currentPassword: 'not my password at all',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'WRONG_PASSWORD' } } });
    expect((await other.call('GET', '/api/me')).status).toBe(200);

    const changed = await dr.client.call('POST', '/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    expect((await live.closed).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    expect((await other.call('GET', '/api/me')).status).toBe(401);
    expect((await dr.client.call('GET', '/api/me')).status).toBe(200);
    expect((await new StaffClient(t.app).signIn(dr.email, TEST_PASSWORD)).status).toBe(401);
    expect((await new StaffClient(t.app).signIn(dr.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('a setup link sets a new password once, ends the old sessions and signs in', async () => {
    const dr = await addStaff(t.app, admin, 'peer_worker', 'Pat Forgetful');
    const link = await admin.call<SetupLinkResponse>(
      'POST',
      `/api/staff/${dr.member.id}/setup-link`,
    );
    expect(link.status).toBe(201);
    expect(link.body.path).toBe(`/staff/password/${link.body.token}`);
    const page = new StaffClient(t.app);
    const preview = await page.call<SetupLinkPreview>(
      'GET',
      `/api/password-setup/${link.body.token}`,
    );
    expect(preview).toMatchObject({
      status: 200,
      body: { displayName: 'Pat Forgetful', organisationName: 'Admin team' },
    });
    expect(JSON.stringify(preview.body)).not.toContain(dr.email);

    const used = await page.call('POST', `/api/password-setup/${link.body.token}`, {
      password: NEW_PASSWORD,
    });
    expect(used).toMatchObject({ status: 200, body: { staff: { id: dr.member.id } } });
    expect((await page.call('GET', '/api/me')).status).toBe(200);
    expect((await dr.client.call('GET', '/api/me')).status).toBe(401);
    const again = await new StaffClient(t.app).call(
      'POST',
      `/api/password-setup/${link.body.token}`,
      { password: 'someone else tries this one' },
    );
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'LINK_INVALID' } } });
    expect((await new StaffClient(t.app).signIn(dr.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('a setup link expires, and a newer one replaces an unused older one', async () => {
    const dr = await addStaff(t.app, admin, 'clinician', 'Dr Late');
    const make = async () =>
      (await admin.call<SetupLinkResponse>('POST', `/api/staff/${dr.member.id}/setup-link`)).body;
    const older = await make();
    const newer = await make();
    const use = (token: string) =>
      new StaffClient(t.app).call('POST', `/api/password-setup/${token}`, {
        password: NEW_PASSWORD,
      });
    expect((await use(older.token)).status).toBe(404);
    clock += SETUP_LINK_TTL_MS;
    expect((await use(newer.token)).status).toBe(404);
    clock = Date.now();
    const disabled = await admin.call('PATCH', `/api/staff/${dr.member.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    const refused = await admin.call('POST', `/api/staff/${dr.member.id}/setup-link`);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });
});
