import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startStack, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { heading, prepareTeam, signIn, type Team } from './staff-pages.ts';

// A team a year on, clicked through as an admin would from the dashboard: a colleague's
// password link, disabling and enabling them, one's own password, the colleague choosing a
// new password through the link, a core-team change and closing the care episode. Every new
// screen is checked with axe-core (no serious or critical finding).
describe('staff administration', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    browser = await launchChromium();
    team = await prepareTeam(stack.origin, [{ name: 'Sam', relationship: '', isCentre: true }]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function checkPage(page: Page, name: string) {
    const found = await axeFindings(page);
    expect(blocking(found), `${name}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
  }

  it('manages a colleague, a password and the network from the dashboard', async () => {
    const { page } = await signIn(browser, stack.origin, team.clinician);
    page.on('dialog', (dialog) => void dialog.accept());
    const peer = team.peerWorker.name;

    // Staff accounts: disable and enable the peer worker, then make them a password link.
    await page.getByRole('link', { name: 'Staff accounts' }).click();
    await heading(page, 'Staff accounts');
    await page.getByRole('button', { name: `Disable ${peer}` }).click();
    const peerRow = page.getByTestId('staff-row').filter({ hasText: peer });
    await expect.poll(() => peerRow.getByTestId('staff-status').textContent()).toBe('Disabled');
    await page.getByRole('button', { name: `Enable ${peer}` }).click();
    await expect.poll(() => peerRow.getByTestId('staff-status').textContent()).toBe('Active');
    await page.getByRole('button', { name: `Password link for ${peer}` }).click();
    const linkField = page.getByTestId('setup-link-url');
    await linkField.waitFor({ timeout: 15_000 });
    const setupLink = await linkField.inputValue();
    expect(setupLink).toContain(`${stack.origin}/staff/password/`);
    await checkPage(page, 'staff accounts with a password link');

    // One's own password: a wrong current one is refused, the right one changes it.
    await page.getByRole('link', { name: 'Your account' }).click();
    await heading(page, 'Your account');
    await checkPage(page, 'your account');
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('That is not your current password.').waitFor({ timeout: 15_000 });
    await page.getByLabel('Current password').fill(team.clinician.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByTestId('change-password-status').textContent())
      .toContain('Your password is changed.');

    // The peer worker opens the link in their own browser and chooses a new password.
    const other = await browser.newContext();
    const peerPage = await other.newPage();
    await peerPage.goto(setupLink);
    await heading(peerPage, 'Choose a new password');
    await checkPage(peerPage, 'choose a new password');
    await peerPage.getByLabel('New password', { exact: true }).fill('a fresh start for jussi');
    await peerPage.getByRole('button', { name: 'Save and sign in' }).click();
    await heading(peerPage, 'Overview');
    await other.close();

    // The network: the peer worker leaves the core team; then the episode is closed.
    await page.getByRole('link', { name: 'Overview' }).click();
    await heading(page, 'Overview');
    await page.getByRole('link', { name: team.networkLabel, exact: true }).click();
    await heading(page, team.networkLabel);
    await page.getByRole('button', { name: 'Change the core team' }).click();
    await page.getByTestId('core-team-form').waitFor();
    await checkPage(page, 'core team form');
    await page.getByRole('checkbox', { name: new RegExp(peer) }).uncheck();
    await page.getByRole('button', { name: 'Save the core team' }).click();
    await page.getByText('The core team is changed.').waitFor({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Close the care episode' }).click();
    await page.getByTestId('episode-close-confirm').click();
    await page.getByTestId('episode-closed').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Start an immediate meeting' }).count()).toBe(0);
    await checkPage(page, 'closed episode');
  });
});
