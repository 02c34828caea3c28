import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { CAPTURE_TRACK_SENDERS, inboundBySender } from './room-probe.ts';
import {
  joinFromMeetingPage,
  prepareTeam,
  signIn,
  startMeetingNow,
  type Team,
} from './staff-pages.ts';

/** Every inbound audio byte a page has received, whoever sent it. */
async function audioIn(page: Page): Promise<number> {
  const { audioBytes } = await inboundBySender(page);
  return Object.values(audioBytes).reduce((a, b) => a + b, 0);
}

// The details people notice in the room, walked as they walk them: the centre person joins
// muted by choice at the pre-join page; leaving asks first, and from the same page they knock
// again; the facilitator ends the meeting with the next meeting's time, which the record keeps.
describe('joining muted, leaving and knocking again, ending with the next meeting', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;
  let lee: Page;
  let sam: Page;
  let samLink = '';

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    team = await prepareTeam(stack.origin, [{ name: 'Sam', relationship: 'self', isCentre: true }]);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const admitSam = async () => {
    const entry = lee.getByTestId('lobby-entry').filter({ hasText: 'Sam' });
    await entry.getByRole('button', { name: /^Admit/ }).click();
    await sam
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 40_000 });
  };

  it('Sam joins with the microphone off: the page says so and nobody receives sound from Sam until Sam turns it on', async () => {
    ({ page: lee } = await signIn(browser, stack.origin, team.clinician));
    await startMeetingNow(lee, team.networkLabel);
    samLink = await lee.getByRole('textbox', { name: 'Link for Sam', exact: true }).inputValue();
    await joinFromMeetingPage(lee);

    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(CAPTURE_TRACK_SENDERS);
    sam = await context.newPage();
    await sam.goto(samLink);
    await sam.getByTestId('join-form').waitFor({ timeout: 20_000 });
    await sam.getByLabel('Your name').fill('Sam');
    const micSwitch = sam.getByRole('switch', { name: 'Join with my microphone on' });
    expect(await micSwitch.isChecked()).toBe(true);
    await micSwitch.press('Space');
    expect(await micSwitch.isChecked()).toBe(false);
    expect(await sam.getByTestId('join-microphone-state').textContent()).toContain(
      'You join muted',
    );
    expect(blocking(await axeFindings(sam))).toEqual([]);
    await sam.getByRole('button', { name: 'Join', exact: true }).click();
    await sam.getByTestId('lobby-waiting').waitFor({ timeout: 20_000 });

    await admitSam();
    await sam.getByTestId('local-tile').waitFor({ timeout: 15_000 });
    const micState = sam.getByTestId('microphone-state');
    expect((await micState.textContent())?.trim()).toBe('Microphone is off');
    expect(await sam.getByTestId('toggle-microphone').getAttribute('aria-pressed')).toBe('false');
    // Lee sees Sam's video but no audio track from Sam, and receives no sound at all.
    await lee.getByTestId('remote-tile').filter({ hasText: 'Sam' }).waitFor({ timeout: 20_000 });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await lee.getByTestId('remote-audio').count()).toBe(0);
    expect(await audioIn(lee)).toBe(0);

    await sam.getByTestId('toggle-microphone').click();
    await expect
      .poll(async () => (await micState.textContent())?.trim(), { timeout: 15_000 })
      .toBe('Microphone is on');
    await lee.getByTestId('remote-audio').waitFor({ state: 'attached', timeout: 20_000 });
    await expect.poll(() => audioIn(lee), { timeout: 20_000 }).toBeGreaterThan(2000);
  }, 240_000);

  it('leaving asks first (Stay keeps Sam in), and after leaving Sam knocks again from the same page', async () => {
    const leave = sam.getByTestId('leave-button');
    await leave.click();
    const dialog = sam.getByRole('dialog', { name: 'Leave the meeting?' });
    await dialog.waitFor({ timeout: 10_000 });
    // Focus is in the dialog, on the gentler choice.
    expect(await sam.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Stay in the meeting',
    );
    expect(blocking(await axeFindings(sam))).toEqual([]);
    // Escape closes it, focus returns to Leave, and Sam is still in the meeting.
    await sam.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(await sam.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'leave-button',
    );
    expect(await sam.getByTestId('media-status').getAttribute('data-state')).toBe('connected');

    // Now for real, with the keyboard.
    await leave.press('Enter');
    await dialog.waitFor({ timeout: 10_000 });
    await sam.keyboard.press('Tab');
    await sam.keyboard.press('Enter');
    await sam.getByText('You have left the meeting.').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => lee.getByTestId('roster').textContent(), { timeout: 20_000 })
      .not.toContain('Sam');
    const knock = sam.getByRole('button', { name: 'Knock again' });
    await knock.waitFor({ timeout: 10_000 });
    expect(await sam.getByTestId('left-help').textContent()).toContain('knock again');
    expect(blocking(await axeFindings(sam))).toEqual([]);

    await knock.click();
    await sam.getByTestId('lobby-waiting').waitFor({ timeout: 20_000 });
    expect(sam.url()).toBe(`${stack.origin}/m/${new URL(sam.url()).pathname.split('/').at(-1)}`);
    await admitSam();
    await expect
      .poll(() => lee.getByTestId('roster').textContent(), { timeout: 20_000 })
      .toContain('Sam');
  }, 180_000);

  it('ending offers to write down the next meeting; the record Sam reads afterwards shows it', async () => {
    await lee.getByTestId('end-meeting').click();
    const form = lee.getByRole('form', { name: 'End the meeting for everyone?' });
    await form.waitFor({ timeout: 10_000 });
    expect(await lee.evaluate(() => document.activeElement?.id)).toBe('end-next-meeting');
    expect(blocking(await axeFindings(lee))).toEqual([]);
    await lee.getByLabel('Next meeting (optional)').fill('2030-03-02T10:00');
    await lee.getByRole('button', { name: 'Save the time and end for everyone' }).click();

    await sam.getByTestId('meeting-ended').waitFor({ timeout: 20_000 });
    await sam.getByTestId('record-link').click();
    await sam.getByTestId('record-page').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => sam.getByTestId('record-next-meeting').textContent(), { timeout: 15_000 })
      .toContain('2030');
    expect(await sam.getByTestId('record-next-meeting').textContent()).toContain('March');
    expect(blocking(await axeFindings(sam))).toEqual([]);
  }, 120_000);
});
