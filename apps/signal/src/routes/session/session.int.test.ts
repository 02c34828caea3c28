import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets, type TestDatabase } from '@polyphony/db/testing';
import type { MeResponse, StaffListResponse } from '@polyphony/protocol';
import { StaffClient } from '../../testing/staff-client.ts';
import { NO_LIVEKIT, TEST_PASSWORD, addStaff, uniqueEmail } from '../../testing/staff-fixture.ts';
import { startTestApp } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const count = async (db: TestDatabase, table: string) =>
  (await rawQuery<{ n: number }>(db.database, `select count(*)::int as n from ${table}`))[0]!.n;

describe.each(testDatabaseTargets())('setup, sessions and staff on $name', (target) => {
  let clock = Date.now();
  const t = useTestApp(target, { now: () => clock });
  let admin: StaffClient;
  let adminEmail: string;

  it('says setup is needed on an empty database', async () => {
    const res = await new StaffClient(t.app).call('GET', '/api/setup');
    expect(res).toMatchObject({ status: 200, body: { needed: true } });
  });

  it('refuses a malformed setup body and writes nothing', async () => {
    const client = new StaffClient(t.app);
    for (const body of [
      {},
      { organisationName: 'O', displayName: 'A', email: 'not-an-email', password: TEST_PASSWORD },
      { organisationName: 'O', displayName: 'A', email: 'a@example.org', password: 'short' },
      { organisationName: ' ', displayName: 'A', email: 'a@example.org', password: TEST_PASSWORD },
    ]) {
      const res = await client.call('POST', '/api/setup', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await count(t.db, 'organisations')).toBe(0);
    expect(await count(t.db, 'staff')).toBe(0);
  });

  it('refuses setup from another origin', async () => {
    const res = await new StaffClient(t.app).call(
      'POST',
      '/api/setup',
      { organisationName: 'O', displayName: 'A', email: 'a@example.org', password: TEST_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'ORIGIN_REJECTED' } } });
    expect(await count(t.db, 'staff')).toBe(0);
  });

  it('sets up the organisation and signs the first admin in', async () => {
    const client = new StaffClient(t.app);
    adminEmail = uniqueEmail('ada');
    const res = await client.call<MeResponse>('POST', '/api/setup', {
      organisationName: 'Tornio team',
      displayName: 'Ada Admin',
      email: adminEmail,
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      staff: { displayName: 'Ada Admin', email: adminEmail, role: 'admin' },
      organisation: { name: 'Tornio team' },
      csrfToken: expect.any(String),
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^pp_staff=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('Path=/api');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    admin = client;
    const me = await admin.call<MeResponse>('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
    expect((await admin.call('GET', '/api/setup')).body).toEqual({ needed: false });
  });

  it('stores only hashes of the session and CSRF tokens, and an Argon2id password hash', async () => {
    const rows = await rawQuery<{ token_hash: string; csrf_token_hash: string }>(
      t.db.database,
      'select token_hash, csrf_token_hash from staff_sessions',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toBe(admin.cookie);
    expect(rows[0]!.csrf_token_hash).not.toBe(admin.csrfToken);
    const [staff] = await rawQuery<{ password_hash: string }>(
      t.db.database,
      'select password_hash from staff',
    );
    expect(staff!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('refuses a second setup with 409', async () => {
    const res = await new StaffClient(t.app).call('POST', '/api/setup', {
      organisationName: 'Again',
      displayName: 'B',
      email: uniqueEmail('b'),
      password: TEST_PASSWORD,
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'SETUP_ALREADY_DONE' } } });
    expect(await count(t.db, 'organisations')).toBe(1);
  });

  it('refuses a wrong password and an unknown e-mail alike', async () => {
    const client = new StaffClient(t.app);
    const wrong = await client.signIn(adminEmail, 'not the password at all');
    const unknown = await client.signIn(uniqueEmail('nobody'), TEST_PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('signs in regardless of e-mail case, and refuses sign-in from another origin', async () => {
    const client = new StaffClient(t.app);
    const evil = await client.call(
      'POST',
      '/api/session',
      { email: adminEmail, password: TEST_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(evil).toMatchObject({ status: 403, body: { error: { code: 'ORIGIN_REJECTED' } } });
    const res = await client.signIn(adminEmail.toUpperCase(), TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect((await client.call('GET', '/api/me')).status).toBe(200);
  });

  it('answers 401 without a session, or with an unknown cookie', async () => {
    const client = new StaffClient(t.app);
    expect((await client.call('GET', '/api/me')).body).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    client.cookie = 'forged';
    expect((await client.call('GET', '/api/networks')).status).toBe(401);
  });

  it('lets admins create and list staff of their organisation only', async () => {
    const { member } = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    expect(member).toMatchObject({ displayName: 'Dr Lee', role: 'clinician' });
    const list = await admin.call<StaffListResponse>('GET', '/api/staff');
    expect(list.status).toBe(200);
    expect(list.body.staff.map((s) => s.displayName)).toEqual(['Ada Admin', 'Dr Lee']);
    expect(JSON.stringify(list.body)).not.toContain('argon2');
  });

  it('refuses a duplicate e-mail (any case) with 409 EMAIL_TAKEN', async () => {
    const res = await admin.call('POST', '/api/staff', {
      displayName: 'Copy',
      email: adminEmail.toUpperCase(),
      role: 'clinician',
      password: TEST_PASSWORD,
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'EMAIL_TAKEN' } } });
  });

  it('refuses staff management to non-admins (403) and malformed staff bodies (400)', async () => {
    const { client } = await addStaff(t.app, admin, 'peer_worker', 'Pat Peer');
    const before = await count(t.db, 'staff');
    const create = await client.call('POST', '/api/staff', {
      displayName: 'X',
      email: uniqueEmail('x'),
      role: 'admin',
      password: TEST_PASSWORD,
    });
    expect(create).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await client.call('GET', '/api/staff')).status).toBe(403);
    const bad = await admin.call('POST', '/api/staff', {
      displayName: 'X',
      email: uniqueEmail('x'),
      role: 'superuser',
      password: TEST_PASSWORD,
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await count(t.db, 'staff')).toBe(before);
  });

  it('refuses state changes with a missing or forged CSRF token, writing nothing', async () => {
    const before = await count(t.db, 'staff');
    const body = {
      displayName: 'Y',
      email: uniqueEmail('y'),
      role: 'clinician',
      password: TEST_PASSWORD,
    };
    const missing = await admin.call('POST', '/api/staff', body, { csrf: null });
    const forged = await admin.call('POST', '/api/staff', body, { csrf: 'A'.repeat(43) });
    const empty = await admin.call('POST', '/api/networks', {}, { csrf: '' });
    for (const res of [missing, forged, empty]) {
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'CSRF_FAILED' } } });
    }
    expect(await count(t.db, 'staff')).toBe(before);
    const signOut = await admin.call('DELETE', '/api/session', undefined, { csrf: null });
    expect(signOut.status).toBe(403);
    expect((await admin.call('GET', '/api/me')).status).toBe(200);
  });

  it('ends a session at its expiry (injected clock) and on sign-out', async () => {
    const { client, email } = await addStaff(t.app, admin, 'clinician', 'Dr Kim');
    const saved = clock;
    clock += 12 * 60 * 60 * 1000 + 1;
    try {
      expect((await client.call('GET', '/api/me')).body).toMatchObject({
        error: { code: 'UNAUTHENTICATED' },
      });
    } finally {
      clock = saved;
    }
    expect((await client.call('GET', '/api/me')).status).toBe(200);
    await rawQuery(
      t.db.database,
      `update staff_sessions set expires_at = now() - interval '1 minute'
       where staff_id = (select id from staff where lower(email) = lower($1))`,
      [email],
    );
    expect((await client.call('GET', '/api/me')).status).toBe(401);

    const again = new StaffClient(t.app);
    await again.signIn(email, TEST_PASSWORD);
    const token = again.cookie;
    const out = await again.call('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/pp_staff=;/);
    again.cookie = token;
    expect((await again.call('GET', '/api/me')).status).toBe(401);
  });

  it('rate-limits sign-in per e-mail address', async () => {
    const client = new StaffClient(t.app);
    const email = uniqueEmail('target');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await client.signIn(email, 'wrong password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const res = await client.signIn(email, 'wrong password');
    expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('locks an account for every spelling of its e-mail the lookup accepts', async () => {
    const { email } = await addStaff(t.app, admin, 'clinician', 'Lotta Locked');
    const own = await startTestApp(t.db.database, NO_LIVEKIT, { signInLimits: { perIp: 1000 } });
    try {
      const client = new StaffClient(own.app);
      for (let i = 0; i < 5; i++) {
        expect((await client.signIn(email, 'wrong password')).status).toBe(401);
      }
      for (const variant of [email, ` ${email}`, `${email} `, ` ${email.toUpperCase()}`]) {
        const res = await client.signIn(variant, TEST_PASSWORD);
        expect(res.status, JSON.stringify(variant)).toBe(429);
        expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      await own.close();
    }
  });

  it('says when to try again on a link-use 429', async () => {
    const strict = await startTestApp(t.db.database, NO_LIVEKIT, { linkUsesPerMinute: 1 });
    try {
      const url = `${strict.baseUrl}/api/invites/${'a'.repeat(43)}`;
      expect((await fetch(url)).status).toBe(404);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('rate-limits sign-in per client address', async () => {
    const strict = await startTestApp(t.db.database, NO_LIVEKIT, { signInLimits: { perIp: 2 } });
    try {
      const client = new StaffClient(strict.app);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await client.signIn(uniqueEmail(`ip${i}`), 'wrong password')).status);
      }
      expect(statuses).toEqual([401, 401, 429]);
      const limited = await client.signIn(uniqueEmail('ip3'), 'wrong password');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});
