import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import type {
  CreateMeetingResponse,
  CreatedInvite,
  MeResponse,
  NetworkDetail,
  NetworkMember,
  StaffMember,
} from '@polyphony/protocol';
import { StaffClient } from '../testing/staff-client.ts';
import { useTestApp } from '../testing/use-test-app.ts';

describe.each(testDatabaseTargets())('staff API logs on $name', (target) => {
  const t = useTestApp(target);

  it('carry no token, password, e-mail address or name from a full run (trace level)', async () => {
    const secrets: string[] = [];
    const keep = <T extends string>(s: T): T => {
      secrets.push(s);
      return s;
    };
    const admin = new StaffClient(t.app);
    const setup = await admin.call<MeResponse>('POST', '/api/setup', {
      organisationName: keep('Riverside Crisis Team'),
      displayName: keep('Adelheid Adminsson'),
      email: keep('adelheid.private@example.org'),
      password: keep('admin-password-9f8e7d'),
    });
    expect(setup.status).toBe(201);
    keep(admin.cookie!);
    keep(admin.csrfToken!);
    const lee = await admin.call<StaffMember>('POST', '/api/staff', {
      displayName: keep('Leopoldina Clinicianne'),
      email: keep('leopoldina.private@example.org'),
      role: 'clinician',
      password: keep('clinician-password-1a2b3c'),
    });
    expect(lee.status).toBe(201);
    const clinician = new StaffClient(t.app);
    expect(
      (await clinician.signIn('leopoldina.private@example.org', 'wrong-password-zz9')).status,
    ).toBe(401);
    keep('wrong-password-zz9');
    expect(
      (await clinician.signIn('leopoldina.private@example.org', 'clinician-password-1a2b3c'))
        .status,
    ).toBe(200);
    keep(clinician.cookie!);
    keep(clinician.csrfToken!);
    const network = await clinician.call<NetworkDetail>('POST', '/api/networks', {
      label: keep('Quintessa household'),
      firstContactAt: new Date().toISOString(),
      coreTeamStaffIds: [lee.body.id],
    });
    expect(network.status).toBe(201);
    const member = await clinician.call<NetworkMember>(
      'POST',
      `/api/networks/${network.body.id}/members`,
      { name: keep('Zebulon Centreperson'), relationship: keep('grandnephew'), isCentre: true },
    );
    expect(member.status).toBe(201);
    await clinician.call('POST', `/api/networks/${network.body.id}/members`, {
      name: keep('Ottoline Familymember'),
      relationship: 'aunt',
      isCentre: false,
    });
    await clinician.call('POST', `/api/networks/${network.body.id}/members`, {
      name: keep('Malformed Memberbody'),
    });
    await clinician.call('PATCH', `/api/networks/${network.body.id}/members/${member.body.id}`, {
      name: keep('Zebulon Renamedperson'),
    });
    const meeting = await clinician.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.body.id}/meetings`,
      { kind: 'immediate', inviteEveryone: true },
    );
    expect(meeting.status).toBe(201);
    for (const link of meeting.body.links) keep(link.token);
    const meetingId = meeting.body.meeting.meeting.id;
    await clinician.call('POST', `/api/meetings/${meetingId}/invites/bulk`);
    const single = await clinician.call<CreatedInvite>(
      'POST',
      `/api/meetings/${meetingId}/invites`,
      { staffId: lee.body.id, role: 'cofacilitator' },
    );
    expect(single.status).toBe(409);
    const revoked = await clinician.call(
      'DELETE',
      `/api/meetings/${meetingId}/invites/${meeting.body.links[0]!.invite.id}`,
    );
    expect(revoked.status).toBe(200);
    await clinician.call('GET', `/api/meetings/${meetingId}`);
    await clinician.call('GET', '/api/networks');
    await clinician.call('GET', `/api/networks/${network.body.id}`);
    await admin.call('GET', '/api/staff');
    await clinician.call('POST', '/api/networks', { label: 'x' }, { csrf: 'forged-token-value' });
    keep('forged-token-value');
    await clinician.call('DELETE', '/api/session');

    const logs = t.logs.join('\n');
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/api/session', status: 401 }),
    );
    expect(lines.filter((l) => l['msg'] === 'request').length).toBeGreaterThanOrEqual(18);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs.toLowerCase()).not.toContain('example.org');
  });
});
