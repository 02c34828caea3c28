import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import { createStaffSession, createTestMeeting } from '../../testing/meeting-harness.ts';
import { TEST_ORIGIN } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const OPERATOR = 'Polyphony support, 020 000 0000';
const WARD = 'The ward office, 020 123 4567';

// A link that no longer works names whom to ask: its organisation's contact (set by an admin),
// else the operator's; never a dead end.
describe.each(testDatabaseTargets())('whom to ask when a link does not work on $name', (target) => {
  const t = useTestApp(target, { config: { supportContact: OPERATOR } });
  const { http } = t;

  const admin = async (organisationId: string) => {
    const session = await createStaffSession(t.app, organisationId, 'Dr Admin');
    await rawQuery(t.db.database, `update staff set role = 'admin' where id = $1`, [
      session.staffId,
    ]);
    return session;
  };
  const patch = (who: { cookie: string; csrfToken: string }, contact: unknown) =>
    fetch(`${t.baseUrl}/api/organisation`, {
      method: 'PATCH',
      headers: {
        cookie: who.cookie,
        'x-csrf-token': who.csrfToken,
        origin: TEST_ORIGIN,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ contact }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
  const revoke = async (participantId: string) =>
    rawQuery(
      t.db.database,
      'update invites set revoked_at = now() where id = (select invite_id from participants where id = $1)',
      [participantId],
    );

  it('first-run setup may say how to reach the organisation', async () => {
    // Before anything else in this database: setup works only while no staff exist.
    const setup = await http.call('POST', '/api/setup', {
      body: {
        organisationName: 'North Crisis Team',
        organisationContact: WARD,
        displayName: 'Dr First',
        email: 'first@example.org',
        password: 'river stone lantern',
      },
    });
    expect(setup).toMatchObject({
      status: 201,
      body: { organisation: { name: 'North Crisis Team', contact: WARD } },
    });
  });
  it('an admin sets the contact (validated); a revoked or expired link names it', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await admin(m.organisationId);
    const clinician = await createStaffSession(t.app, m.organisationId, 'Dr Not Admin');
    expect((await patch(clinician, WARD)).status).toBe(403);
    for (const bad of ['   ', 'a'.repeat(201), 'two\nlines']) {
      expect((await patch(lee, bad)).body).toMatchObject({
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    const saved = await patch(lee, `  ${WARD} `);
    expect(saved).toMatchObject({ status: 200, body: { id: m.organisationId, contact: WARD } });
    const me = await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: lee.cookie } });
    expect(await me.json()).toMatchObject({ organisation: { contact: WARD } });

    const dad = await m.link('network', 'Robin Revoked-Dad');
    // While the link works, the pre-join page names the organisation, its contact and the team.
    expect(await http.call('GET', `/api/invites/${dad.token}`)).toMatchObject({
      status: 200,
      body: {
        organisation: { name: 'Test organisation', contact: WARD },
        team: [{ displayName: 'Dr Host Clinician' }],
      },
    });
    await revoke(dad.participantId);
    const opened = await http.call('GET', `/api/invites/${dad.token}`);
    expect(opened).toMatchObject({
      status: 404,
      body: { error: { code: 'LINK_INVALID', contact: WARD } },
    });
    const knocked = await http.join(dad);
    expect(knocked.res.body).toMatchObject({ error: { code: 'LINK_INVALID', contact: WARD } });

    const aunt = await m.link('network', 'Kim Expired-Aunt');
    await rawQuery(
      t.db.database,
      `update invites set expires_at = now() - interval '1 second'
       where id = (select invite_id from participants where id = $1)`,
      [aunt.participantId],
    );
    expect((await http.call('GET', `/api/invites/${aunt.token}`)).body).toMatchObject({
      error: { code: 'LINK_INVALID', contact: WARD },
    });

    // Cleared: the operator's contact stands in.
    expect(await patch(lee, null)).toMatchObject({ status: 200, body: { contact: null } });
    expect((await http.call('GET', `/api/invites/${dad.token}`)).body).toMatchObject({
      error: { code: 'LINK_INVALID', contact: OPERATOR },
    });
  });

  it('an unknown link has no organisation: the operator’s contact', async () => {
    const unknown = await http.call('GET', `/api/invites/${'x'.repeat(43)}`);
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: 'LINK_INVALID', contact: OPERATOR } },
    });
  });
});
