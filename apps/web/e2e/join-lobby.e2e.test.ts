import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtWebFile,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { waitForMedia } from './fixtures.ts';
import { MeetingPages, sleep } from './meeting-pages.ts';

// The guest's real path: a personal link, the pre-join page, the lobby, the centre person's
// answer and the facilitator's admission, through the real web server, signal service and
// livekit-server, in real Chromium.

/** With E2E_SCREENSHOTS=<dir>, keeps a full-page picture of each step for a human to look at. */
async function snap(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

const peerConnections = (page: Page) =>
  page.evaluate('(window.__pcs ?? []).length') as Promise<number>;

describe('joining by link: pre-join, lobby, consent and admission', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let pages: MeetingPages;
  const link = (name: string) => pages.link(name);
  const openPage = async (cookies: Map<string, string> | null, path: string) =>
    (await pages.open(browser, cookies, path)).page;

  async function joinAs(name: string, displayName: string, companions: string[]): Promise<Page> {
    const page = await openPage(null, `/join/${link(name).token}`);
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await page.getByTestId('join-name').fill(displayName);
    for (const companion of companions) {
      await page.getByTestId('companion-input').fill(companion);
      await page.getByTestId('companion-add').click();
    }
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 15_000 });
    return page;
  }

  let lee: Page;
  let sam: Page;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Sam’s dad', relationship: 'father' },
      { name: 'Aunt Mia', relationship: 'aunt' },
      { name: 'Cousin Ville', relationship: 'cousin' },
    ]);
    pages = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });

    // The facilitator enters as staff (signed-in session), then opens the room.
    await meeting.admin.call('POST', `/api/meetings/${meeting.meetingId}/participants/me`, {});
    lee = await openPage(meeting.admin.cookies, `/m/${meeting.meetingId}`);
    await lee.getByTestId('in-room').waitFor({ timeout: 20_000 });

    // Sam, the person at the centre, is let in by the facilitator alone.
    sam = await joinAs('Sam', 'Sam', []);
    const samEntry = lee.locator('[data-testid="lobby-entry"]', { hasText: 'Sam' });
    await samEntry.getByTestId('lobby-admit').click();
    await sam.getByTestId('mode-banner').waitFor({ timeout: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the pre-join page says what is kept and passes axe', async () => {
    const page = await openPage(null, `/join/${link('Sam’s dad').token}`);
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('join-privacy').textContent())
      .toContain('Polyphony does not record audio or video');
    await page.getByTestId('device-check-start').click();
    await page.getByTestId('device-preview').waitFor({ timeout: 10_000 });
    expect(blocking(await axeFindings(page, { everyRule: true }))).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'pre-join-phone');
    await page.context().close();
  });

  it('the link’s token leaves the address bar once the pre-join page has loaded, and a reload still works', async () => {
    const token = link('Cousin Ville').token;
    const page = await openPage(null, `/join/${token}`);
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.url()).toBe(`${stack.origin}/join`);
    expect(await page.evaluate(() => location.href + history.length)).not.toContain(token);
    // A reload of the page (now /join) finds the token the tab kept.
    await page.reload();
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    expect(page.url()).not.toContain(token);
    // Another tab without it is asked to open the link again.
    const fresh = await page.context().newPage();
    await fresh.goto(`${stack.origin}/join`);
    await fresh.getByTestId('join-no-token').waitFor({ timeout: 15_000 });
    await page.context().close();
  });

  it('a guest waits with no media, the centre person says yes, the facilitator admits: media flows', async () => {
    const dad = await joinAs('Sam’s dad', 'Dad', ['Mum']);
    await dad.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    expect(await peerConnections(dad)).toBe(0);
    expect(blocking(await axeFindings(dad, { everyRule: true }))).toEqual([]);
    await snap(dad, 'lobby-waiting');

    const prompt = sam.getByTestId('consent-prompt');
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('Dad is waiting');
    expect(await prompt.textContent()).toContain('Mum');
    await snap(sam, 'centre-consent-prompt');
    await snap(lee, 'facilitator-lobby-panel');
    await sam.getByTestId('consent-yes').click();
    await prompt.waitFor({ state: 'detached', timeout: 15_000 });

    expect(await peerConnections(dad)).toBe(0);
    const entry = lee.locator('[data-testid="lobby-entry"]', { hasText: 'Dad' });
    await entry.getByTestId('lobby-admit').click();

    await dad.getByTestId('remote-tile').first().waitFor({ timeout: 30_000 });
    const { now } = await waitForMedia(
      dad,
      (b, n) => n.audioBytes > b.audioBytes + 2000 && n.videoFramesDecoded > 0,
      60_000, // a loaded box may take a while to decode its first frames
    );
    expect(now.videoFramesDecoded).toBeGreaterThan(0);
    expect(blocking(await axeFindings(dad, { everyRule: true }))).toEqual([]);
    await snap(dad, 'room-guest');
    // Everyone sees who is with Dad.
    await expect
      .poll(() => lee.getByTestId('roster').textContent(), { timeout: 10_000 })
      .toContain('Mum');
  }, 120_000);

  it('when the centre person says no, the guest sees the kind declined message', async () => {
    const aunt = await joinAs('Aunt Mia', 'Mia', []);
    await aunt.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    const prompt = sam.getByTestId('consent-prompt');
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('Mia is waiting');
    await sam.getByTestId('consent-no').click();
    await aunt.getByTestId('lobby-declined').waitFor({ timeout: 15_000 });
    await snap(aunt, 'lobby-declined');
    expect(await peerConnections(aunt)).toBe(0);
    expect(blocking(await axeFindings(aunt, { everyRule: true }))).toEqual([]);
  }, 60_000);

  it('the room loads once admitted; when its code cannot, the guest is told so, unseen and unheard', async () => {
    const ville = await joinAs('Cousin Ville', 'Ville', []);
    await ville.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    // The room's own code (not the media code) is fetched only after admission: hold it back a
    // moment, then let it fail.
    const roomCode = `${stack.origin}/${builtWebFile('src/routes/m/[meetingId]/InRoom.svelte')}`;
    // Held long enough that a loaded machine still reads the loading state before it fails.
    await ville.route(roomCode, async (route) => {
      await sleep(5_000);
      await route.abort();
    });
    const prompt = sam.getByTestId('consent-prompt');
    await prompt.waitFor({ timeout: 15_000 });
    await sam.getByTestId('consent-yes').click();
    await prompt.waitFor({ state: 'detached', timeout: 15_000 });
    const entry = lee.locator('[data-testid="lobby-entry"]', { hasText: 'Ville' });
    await entry.getByTestId('lobby-admit').click();

    const loading = ville.getByTestId('room-loading');
    await loading.waitFor({ timeout: 15_000 });
    // Read at once, in one step: the state lasts only as long as the code is held back.
    const shown = await loading.evaluate((el) => ({
      role: el.getAttribute('role'),
      text: el.textContent ?? '',
    }));
    expect(shown.role).toBe('status');
    expect(shown.text).toContain('Opening the meeting');
    const failed = ville.getByTestId('room-load-failed');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.textContent()).toContain('could not be opened');
    // Admitted, with media access, but without the room on screen nothing is sent.
    expect(await peerConnections(ville)).toBe(0);
    expect(blocking(await axeFindings(ville, { everyRule: true }))).toEqual([]);
    await snap(ville, 'room-load-failed');

    await ville.unroute(roomCode);
    await failed.getByRole('button').click();
    await ville.getByTestId('mode-banner').waitFor({ timeout: 20_000 });
    await ville
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
    expect(await ville.getByTestId('room-load-failed').count()).toBe(0);
  }, 90_000);
});
