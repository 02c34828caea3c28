import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import {
  heading,
  joinFromMeetingPage,
  prepareTeam,
  signIn,
  startMeetingNow,
  type Team,
} from './staff-pages.ts';

// A peer worker made co-facilitator on the staff meeting page lets people in and starts a
// reflection; a companion whose name was typed but not added at the pre-join step is still
// declared. Everyone starts where they start: staff at the dashboard, family at their link.
describe('co-facilitator and companions, as people click', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;
  let lee: Page;
  let jussi: Page;
  let sam: Page;
  const links = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    team = await prepareTeam(stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Dad', relationship: 'father' },
    ]);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A family member's own window: their link, the pre-join page, Join. */
  async function openLink(name: string, typedCompanion?: string): Promise<Page> {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    await page.goto(links.get(name)!);
    await page.getByTestId('join-form').waitFor({ timeout: 20_000 });
    await page.getByLabel('Your name').fill(name);
    if (typedCompanion) await page.getByLabel('Name of someone with you').fill(typedCompanion);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByTestId('lobby-waiting').waitFor({ timeout: 20_000 });
    return page;
  }

  it('a peer worker made co-facilitator in the UI lets the centre person in and starts a reflection', async () => {
    ({ page: lee } = await signIn(browser, stack.origin, team.clinician));
    await startMeetingNow(lee, team.networkLabel);
    for (const name of ['Sam', 'Dad']) {
      const field = lee.getByRole('textbox', { name: `Link for ${name}`, exact: true });
      links.set(name, await field.inputValue());
    }

    const make = lee.getByRole('button', { name: `Make ${team.peerWorker.name} co-facilitator` });
    await make.click();
    await make.waitFor({ state: 'detached', timeout: 15_000 });
    const jussiRow = lee.getByTestId('invite-person').filter({ hasText: team.peerWorker.name });
    await jussiRow.getByText('Has a link as Co-facilitator').waitFor({ timeout: 15_000 });
    expect(blocking(await axeFindings(lee))).toEqual([]);
    await joinFromMeetingPage(lee);

    ({ page: jussi } = await signIn(browser, stack.origin, team.peerWorker));
    await jussi
      .getByRole('link', { name: `Meeting with ${team.networkLabel}` })
      .first()
      .click();
    await heading(jussi, `Meeting with ${team.networkLabel}`);
    await joinFromMeetingPage(jussi);
    const me = jussi.locator('[data-testid="roster-entry"]', { hasText: team.peerWorker.name });
    expect(await me.getAttribute('data-role')).toBe('cofacilitator');

    sam = await openLink('Sam');
    const entry = jussi.getByTestId('lobby-entry').filter({ hasText: 'Sam' });
    await entry.getByRole('button', { name: /^Admit/ }).click();
    await sam.getByTestId('mode-banner').waitFor({ timeout: 30_000 });

    await jussi.getByRole('button', { name: 'Start a reflection' }).click();
    await expect
      .poll(() => sam.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 20_000 })
      .toBe('reflecting');
    await expect
      .poll(() => lee.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 20_000 })
      .toBe('reflecting');
  }, 240_000);

  it('a companion typed at the pre-join step but not added is on the facilitator’s roster', async () => {
    const dad = await openLink('Dad', 'Grandad');
    // Sam agrees, the facilitator lets Dad in: Grandad is with him for everyone to see.
    await sam.getByTestId('consent-prompt').waitFor({ timeout: 20_000 });
    expect(await sam.getByTestId('consent-prompt').textContent()).toContain('Grandad');
    await sam.getByTestId('consent-yes').click();
    const entry = lee.getByTestId('lobby-entry').filter({ hasText: 'Dad' });
    await entry.getByRole('button', { name: /^Admit/ }).click();
    await dad.getByTestId('mode-banner').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => lee.getByTestId('roster').textContent(), { timeout: 15_000 })
      .toContain('Grandad');
  }, 120_000);
});
