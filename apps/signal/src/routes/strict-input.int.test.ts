import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import type { NetworkDetail, NetworkMember } from '@polyphony/protocol';
import { strictBodyProblems } from '../plugins/strict-body.ts';
import { setUp } from '../testing/staff-fixture.ts';
import { useTestApp } from '../testing/use-test-app.ts';

const validation = { error: { code: 'VALIDATION_FAILED', message: expect.any(String) } };

describe.each(testDatabaseTargets())('strict request bodies on $name', (target) => {
  const t = useTestApp(target);

  let admin: Awaited<ReturnType<typeof setUp>> | undefined;
  async function network() {
    admin ??= await setUp(t.app);
    const { me } = admin;
    const staff = admin.admin;
    const created = await staff.call<NetworkDetail>('POST', '/api/networks', {
      label: 'Strict network',
      firstContactAt: new Date().toISOString(),
      coreTeamStaffIds: [me.staff.id],
    });
    expect(created.status).toBe(201);
    const member = await staff.call<NetworkMember>(
      'POST',
      `/api/networks/${created.body.id}/members`,
      { name: 'Mirja', relationship: 'sister', isCentre: false },
    );
    expect(member.status).toBe(201);
    return { admin: staff, networkId: created.body.id, member: member.body };
  }

  it('refuses a NUL or other control character in the sign-in e-mail, unauthenticated', async () => {
    await network();
    for (const email of ['ada\u0000@example.org', 'ada\u001b@example.org', 'ada\u0085@x.org']) {
      const res = await t.http.call('POST', '/api/session', {
        body: { email, password: 'whatever-it-is' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(validation);
    }
  });

  it('refuses a member edit with only unknown fields, or with one among known ones', async () => {
    const { admin, networkId, member } = await network();
    const url = `/api/networks/${networkId}/members/${member.id}`;
    for (const body of [{ nickname: 'M' }, { name: 'Mirja K', nickname: 'M' }, {}]) {
      const res = await admin.call('PATCH', url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(validation);
    }
    const after = await admin.call<NetworkDetail>('GET', `/api/networks/${networkId}`);
    expect(after.body.members).toEqual([member]);
  });

  it('converts no types: numbers, strings for lists and null stay refused', async () => {
    const { admin, networkId, member } = await network();
    const now = new Date().toISOString();
    const cases: [string, string, unknown][] = [
      ['POST', '/api/networks', { label: 123, firstContactAt: now, coreTeamStaffIds: [] }],
      ['POST', '/api/networks', { label: 'L', firstContactAt: now, coreTeamStaffIds: 'x' }],
      [
        'POST',
        `/api/networks/${networkId}/members`,
        { name: 'A', relationship: '', isCentre: null },
      ],
      [
        'POST',
        `/api/networks/${networkId}/members`,
        { name: 'A', relationship: 7, isCentre: false },
      ],
      ['PATCH', `/api/networks/${networkId}/members/${member.id}`, { isCentre: 'false' }],
      ['PATCH', `/api/networks/${networkId}/members/${member.id}`, { preApproved: 0 }],
    ];
    for (const [method, url, body] of cases) {
      const res = await admin.call(method as 'POST', url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toEqual(validation);
    }
    const after = await admin.call<NetworkDetail>('GET', `/api/networks/${networkId}`);
    expect(after.body.members).toEqual([member]);
    const list = await admin.call<{ networks: NetworkDetail[] }>('GET', '/api/networks');
    expect(list.body.networks.map((n) => n.label)).not.toContain('123');
  });

  it('refuses a line feed in a name', async () => {
    const { admin, networkId } = await network();
    const res = await admin.call('POST', `/api/networks/${networkId}/members`, {
      name: 'Two\nLines',
      relationship: '',
      isCentre: false,
    });
    expect(res.status).toBe(400);
  });

  it('registers no route whose body schema is lenient (checked at boot, walked here)', () => {
    const withBody = t.app.registeredRoutes.filter((r) => r.schema?.body !== undefined);
    expect(withBody.length).toBeGreaterThanOrEqual(13);
    for (const route of withBody) {
      expect(strictBodyProblems(route.schema!.body), `${route.method} ${route.url}`).toEqual([]);
    }
  });
});
