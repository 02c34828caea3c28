import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { openPanel } from './meeting-pages.ts';
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
      { name: 'Mia', relationship: 'aunt' },
      { name: 'Ville', relationship: 'cousin' },
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
    for (const name of ['Sam', 'Dad', 'Mia', 'Ville']) {
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

  it('a knock changes the facilitator’s tab title and plays the chime; the centre person’s no is said plainly', async () => {
    const chimes = async () => Number(await lee.getByTestId('room').getAttribute('data-chimes'));
    const tones = () => lee.evaluate(() => (window as unknown as { __tones: number }).__tones);
    const title = 'Meeting · Polyphony';
    await expect.poll(() => lee.title(), { timeout: 15_000 }).toBe(title);
    const [chimesBefore, tonesBefore] = [await chimes(), await tones()];

    const mia = await openLink('Mia');
    await expect
      .poll(() => lee.title(), { timeout: 20_000 })
      .toBe('(1) Someone is waiting · Polyphony');
    await expect.poll(chimes, { timeout: 10_000 }).toBeGreaterThan(chimesBefore);
    expect(await tones()).toBeGreaterThan(tonesBefore);

    // Sam says no: the facilitator is told so, not left to wonder where Mia went.
    await sam.getByTestId('consent-prompt').waitFor({ timeout: 20_000 });
    await sam.getByTestId('consent-no').click();
    await mia.getByTestId('lobby-declined').waitFor({ timeout: 20_000 });
    const declined = lee.getByTestId('centre-declined');
    await declined.waitFor({ timeout: 20_000 });
    expect(await declined.textContent()).toContain('Sam said “not now” to Mia.');
    await expect.poll(() => lee.title(), { timeout: 15_000 }).toBe(title);
    expect(blocking(await axeFindings(lee))).toEqual([]);
    await declined.getByRole('button', { name: 'OK' }).click();
    await declined.waitFor({ state: 'detached', timeout: 10_000 });

    // Muted, a knock still changes the title but plays nothing; the choice is remembered.
    await openPanel(lee, 'lobby');
    const sound = lee.getByLabel('Play a sound when someone is waiting');
    expect(await sound.isChecked()).toBe(true);
    await sound.uncheck();
    const [chimesMuted, tonesMuted] = [await chimes(), await tones()];
    await openLink('Ville');
    await expect
      .poll(() => lee.title(), { timeout: 20_000 })
      .toBe('(1) Someone is waiting · Polyphony');
    expect(await chimes()).toBe(chimesMuted);
    expect(await tones()).toBe(tonesMuted);
    await lee.reload();
    await lee.getByTestId('in-room').waitFor({ timeout: 30_000 });
    expect(await lee.getByLabel('Play a sound when someone is waiting').isChecked()).toBe(false);
  }, 180_000);
});
