import type { Browser, Page } from 'playwright-core';
import { ApiClient } from '@polyphony/stack';
import { CAPTURE_TRACK_SENDERS, recordLiveFrames, type SeenFrame } from './room-probe.ts';

/** A staff account as its owner signs in with it. */
export interface Account {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/**
 * What an organisation already has before a flow starts: a clinician (who set it up), a peer
 * worker, and a network with both in its core team and the given members. Made through the
 * API; the flows themselves are clicked through the pages.
 */
export interface Team {
  readonly clinician: Account;
  readonly peerWorker: Account;
  readonly networkLabel: string;
}

export async function prepareTeam(
  origin: string,
  members: readonly { name: string; relationship: string; isCentre?: boolean }[],
  /** How people reach the organisation (set at first-run setup), if it says. */
  organisationContact?: string,
): Promise<Team> {
  const stamp = Date.now();
  const clinician = {
    name: 'Dr Maria Lee',
    email: `maria-${stamp}@example.test`,
    password: 'river stone lantern',
  };
  const peerWorker = {
    name: 'Jussi Peer',
    email: `jussi-${stamp}@example.test`,
    password: 'birch lake morning',
  };
  const admin = new ApiClient(origin, origin);
  await admin.call('POST', '/api/setup', {
    organisationName: 'North Crisis Team',
    ...(organisationContact ? { organisationContact } : {}),
    displayName: clinician.name,
    email: clinician.email,
    password: clinician.password,
  });
  const me = await admin.call<{ staff: { id: string } }>('GET', '/api/me');
  const peer = await admin.call<{ id: string }>('POST', '/api/staff', {
    displayName: peerWorker.name,
    email: peerWorker.email,
    role: 'peer_worker',
    password: peerWorker.password,
  });
  const networkLabel = 'S.K. family';
  const network = await admin.call<{ id: string }>('POST', '/api/networks', {
    label: networkLabel,
    firstContactAt: new Date().toISOString(),
    coreTeamStaffIds: [me.staff.id, peer.id],
  });
  for (const member of members) {
    await admin.call('POST', `/api/networks/${network.id}/members`, {
      name: member.name,
      relationship: member.relationship,
      isCentre: member.isCentre ?? false,
    });
  }
  return { clinician, peerWorker, networkLabel };
}

/** A staff member's own browser window, with every live-channel frame it receives. */
export interface StaffPage {
  readonly page: Page;
  readonly frames: SeenFrame[];
}

export const heading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: 20_000 });

/**
 * Init script (a probe, no hook in product code): counts WebAudio tones started on the page in
 * `window.__tones`, so a test can tell that a chime was really played.
 */
export const COUNT_TONES = `(() => {
  window.__tones = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones += 1;
    return start.apply(this, args);
  };
})();`;

/** Opens a fresh window at the sign-in page and signs in: the page is on the dashboard. */
export async function signIn(browser: Browser, origin: string, who: Account): Promise<StaffPage> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(CAPTURE_TRACK_SENDERS);
  await context.addInitScript(COUNT_TONES);
  const page = await context.newPage();
  const frames = recordLiveFrames(page);
  await page.goto(`${origin}/staff/sign-in`);
  await heading(page, 'Staff sign in');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Overview');
  return { page, frames };
}

/** From anywhere in the staff app: the network's page, then a meeting started now. */
export async function startMeetingNow(page: Page, networkLabel: string): Promise<void> {
  await page.getByRole('link', { name: 'Overview' }).click();
  await heading(page, 'Overview');
  await page.getByRole('link', { name: networkLabel, exact: true }).click();
  await heading(page, networkLabel);
  await page.getByRole('button', { name: 'Start an immediate meeting' }).click();
  await heading(page, `Meeting with ${networkLabel}`);
}

/** On the staff meeting page: "Join the meeting", then wait until the room's media is up. */
export async function joinFromMeetingPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Join the meeting' }).click();
  await page.getByTestId('mode-banner').waitFor({ timeout: 30_000 });
  await page
    .locator('[data-testid="media-status"][data-state="connected"]')
    .waitFor({ timeout: 40_000 });
}
