import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import {
  joinFromMeetingPage,
  prepareTeam,
  signIn,
  startMeetingNow,
  type Team,
} from './staff-pages.ts';

// Staff enter their own meeting the way they do: signed in, from the dashboard, a meeting
// started from the network's page, then "Join the meeting" on the meeting page. They must be
// in the room with media, not in a waiting room nobody can open.
describe('staff enter their own meeting', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    team = await prepareTeam(stack.origin, [{ name: 'Sam', relationship: 'self', isCentre: true }]);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a clinician creates a meeting from the dashboard, clicks "Join the meeting" and is in the room with media', async () => {
    const { page } = await signIn(browser, stack.origin, team.clinician);
    await startMeetingNow(page, team.networkLabel);
    await joinFromMeetingPage(page);

    expect(page.url()).toMatch(/\/m\/[0-9a-f-]{36}$/);
    await page.getByTestId('local-tile').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('lobby').count()).toBe(0);
    // In the room as the meeting's host: the waiting-room panel and the host controls show.
    await page.getByTestId('in-room').waitFor({ timeout: 15_000 });
    await page.getByTestId('host-controls').waitFor({ timeout: 15_000 });
    const me = page.locator('[data-testid="roster-entry"]', { hasText: team.clinician.name });
    expect(await me.getAttribute('data-role')).toBe('facilitator');
    expect(blocking(await axeFindings(page))).toEqual([]);
  }, 150_000);

  it('starting a meeting now while one is on asks first, and offers the one that is on', async () => {
    const { page } = await signIn(browser, stack.origin, team.peerWorker);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('link', { name: team.networkLabel, exact: true }).click();
    await page.getByRole('button', { name: 'Start an immediate meeting' }).click();
    const ask = page.getByTestId('already-live');
    await ask.waitFor({ timeout: 15_000 });
    await expect(ask.textContent()).resolves.toContain('already on');
    expect(blocking(await axeFindings(page))).toEqual([]);
    await ask.getByTestId('already-live-open').click();
    await page
      .getByRole('heading', { level: 1, name: `Meeting with ${team.networkLabel}` })
      .waitFor({ timeout: 20_000 });
    await page.context().close();
  }, 150_000);

  it('a peer worker who opens the room’s address directly is offered to join, and joins', async () => {
    const { page } = await signIn(browser, stack.origin, team.peerWorker);
    // As from a bookmark: the room's address, before having entered.
    await page
      .getByRole('link', { name: `Meeting with ${team.networkLabel}` })
      .first()
      .click();
    await page
      .getByRole('heading', { level: 1, name: `Meeting with ${team.networkLabel}` })
      .waitFor({ timeout: 20_000 });
    const meetingId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.goto(`${stack.origin}/m/${meetingId}`);
    await page.getByText('You are not in the meeting yet.').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('lobby-waiting').count()).toBe(0);
    expect(blocking(await axeFindings(page))).toEqual([]);

    await page.getByRole('button', { name: 'Join the meeting' }).click();
    await page.getByTestId('mode-banner').waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 40_000 });
    await page.getByTestId('local-tile').waitFor({ timeout: 15_000 });
    const me = page.locator('[data-testid="roster-entry"]', { hasText: team.peerWorker.name });
    expect(await me.getAttribute('data-role')).toBe('team');
  }, 150_000);
});
