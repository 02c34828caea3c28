import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type { StaffDirectoryResponse } from '@polyphony/protocol';
import { StaffClient } from '../../testing/staff-client.ts';
import { TEST_PASSWORD, addStaff, setUp } from '../../testing/staff-fixture.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

describe.each(testDatabaseTargets())('the staff directory on $name', (target) => {
  const t = useTestApp(target, { signInLimits: { perIp: 1000, perEmail: 1000 } });
  let clinician: StaffClient;
  let leaver: { client: StaffClient; email: string };
  const emails: string[] = [];

  beforeAll(async () => {
    const { admin, me } = await setUp(t.app);
    emails.push(me.staff.email);
    const lee = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    const kim = await addStaff(t.app, admin, 'peer_worker', 'Kim Peer');
    const gone = await addStaff(t.app, admin, 'clinician', 'Dr Gone');
    emails.push(lee.email, kim.email, gone.email);
    clinician = lee.client;
    leaver = gone;
    await rawQuery(t.db.database, `update staff set disabled_at = now() where id = $1`, [
      gone.member.id,
    ]);
    const [org] = await rawQuery<{ id: string }>(
      t.db.database,
      `insert into organisations (name) values ('Elsewhere') returning id`,
    );
    await rawQuery(
      t.db.database,
      `insert into staff (organisation_id, email, display_name, role, password_hash)
       values ($1, 'other@example.org', 'Dr Other', 'clinician', 'x')`,
      [org!.id],
    );
  }, DATABASE_OPEN_TIMEOUT_MS);
  it("gives a clinician their own organisation's enabled colleagues, without e-mail addresses", async () => {
    const res = await clinician.call<StaffDirectoryResponse>('GET', '/api/staff/directory');
    expect(res.status).toBe(200);
    expect(res.body.staff.map((s) => [s.displayName, s.role])).toEqual([
      ['Ada Admin', 'admin'],
      ['Dr Lee', 'clinician'],
      ['Kim Peer', 'peer_worker'],
    ]);
    for (const entry of res.body.staff)
      expect(Object.keys(entry).sort()).toEqual(['displayName', 'id', 'role']);
    expect(res.text).not.toContain('@');
    for (const email of emails) expect(res.text).not.toContain(email);
  });

  it('still keeps the full staff list (with e-mail addresses) for admins only', async () => {
    const res = await clinician.call('GET', '/api/staff');
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('answers 401 without a session', async () => {
    const res = await new StaffClient(t.app).call('GET', '/api/staff/directory');
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('a disabled account is signed out at once and cannot sign in again', async () => {
    const me = await leaver.client.call('GET', '/api/me');
    expect(me).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const again = await new StaffClient(t.app).signIn(leaver.email, TEST_PASSWORD);
    expect(again.status).toBe(401);
  });
});
