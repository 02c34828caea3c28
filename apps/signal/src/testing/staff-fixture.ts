import type { StaffRole } from '@polyphony/domain';
import type { MeResponse, StaffMember } from '@polyphony/protocol';
import type { App } from '../app.ts';
import { StaffClient } from './staff-client.ts';

/** LiveKit settings for apps whose tests never reach LiveKit (nothing listens there). */
export const NO_LIVEKIT = {
  url: 'ws://127.0.0.1:9',
  httpUrl: 'http://127.0.0.1:9',
  apiKey: 'unused',
  apiSecret: 'unused-unused-unused-unused-unused',
};

export const TEST_PASSWORD = 'correct horse battery staple';

let counter = 0;
/** A unique e-mail address (they are unique across organisations). */
export function uniqueEmail(who: string): string {
  counter += 1;
  return `${who}.${process.pid}.${counter}.${Date.now()}@example.org`;
}

/** Runs first-run setup (only on an empty database) and returns the signed-in admin. */
export async function setUp(
  app: App,
  organisationName = 'Lapland Open Dialogue team',
): Promise<{ admin: StaffClient; me: MeResponse }> {
  const admin = new StaffClient(app);
  const res = await admin.call<MeResponse>('POST', '/api/setup', {
    organisationName,
    displayName: 'Ada Admin',
    email: uniqueEmail('ada'),
    password: TEST_PASSWORD,
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  return { admin, me: res.body };
}

/** An admin creates a staff member; returns them signed in. */
export async function addStaff(
  app: App,
  admin: StaffClient,
  role: StaffRole,
  displayName: string,
): Promise<{ client: StaffClient; member: StaffMember; email: string }> {
  const email = uniqueEmail(role);
  const res = await admin.call<StaffMember>('POST', '/api/staff', {
    displayName,
    email,
    role,
    password: TEST_PASSWORD,
  });
  if (res.status !== 201) throw new Error(`staff failed: ${res.status} ${res.text}`);
  const client = new StaffClient(app);
  const signIn = await client.signIn(email, TEST_PASSWORD);
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
  return { client, member: res.body, email };
}
