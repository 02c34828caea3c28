// Guesses are counted wherever a guess is worth something: one's current password (a stolen
// session must not become a password oracle) and setup links, beside sign-in's own counts.
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { StaffClient } from '../../testing/staff-client.ts';
import { TEST_PASSWORD, addStaff, setUp } from '../../testing/staff-fixture.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const PER_PERSON = 3;
const PER_ADDRESS = 6;

describe.each(testDatabaseTargets())('attempt limits on $name', (target) => {
  const t = useTestApp(target, { signInLimits: { perIp: PER_ADDRESS, perEmail: PER_PERSON } });

  it('wrong current passwords are counted per person, and the count refuses even the right one', async () => {
    const { admin } = await setUp(t.app, 'Limits team');
    const dr = await addStaff(t.app, admin, 'clinician', 'Dr Guess');
    const other = await addStaff(t.app, admin, 'clinician', 'Dr Other');
    const guess = (client: StaffClient, currentPassword: string) =>
      client.call('POST', '/api/me/password', {
        currentPassword,
        newPassword: 'a longer passphrase for the new year',
      });

    for (let i = 0; i < PER_PERSON; i++) {
      expect(await guess(dr.client, `guess number ${i}`)).toMatchObject({
        status: 403,
        body: { error: { code: 'WRONG_PASSWORD' } },
      });
    }
    const refused = await guess(dr.client, TEST_PASSWORD);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Refused before anything changed: the old password still signs in.
    expect((await new StaffClient(t.app).signIn(dr.email, TEST_PASSWORD)).status).toBe(200);
    // Another person's count is their own.
    expect((await guess(other.client, 'not it')).status).toBe(403);
  });

  it('setup-link guesses are counted per address', async () => {
    const stranger = new StaffClient(t.app);
    const statuses: number[] = [];
    for (let i = 0; i <= PER_ADDRESS; i++) {
      const token = `guessed-token-${i}-${'x'.repeat(32)}`;
      const res =
        i % 2 === 0
          ? await stranger.call('GET', `/api/password-setup/${token}`)
          : await stranger.call('POST', `/api/password-setup/${token}`, {
              password: 'a longer passphrase for the new year',
            });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, PER_ADDRESS).every((s) => s === 404 || s === 410 || s === 400)).toBe(
      true,
    );
    expect(statuses[PER_ADDRESS]).toBe(429);
  });
});
