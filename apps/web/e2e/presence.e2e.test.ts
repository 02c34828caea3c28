import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  launchKillableChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type KillableBrowser,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages, openPanel } from './meeting-pages.ts';

// Presence is connection, not admission (issue 12). A guest whose Chromium process is killed
// (no unload, no goodbye) shows as "lost connection" on every page within LiveKit's departure
// timeout (20 s in the test stack) plus 5 s; a waiting guest whose browser dies leaves the lobby
// within the heartbeat bound (25 s) plus 5 s. Both are in the timeline.

const DEPARTURE_MS = 20_000;
const HEARTBEAT_MS = 25_000;
const SLACK_MS = 5_000;

describe('presence is connection', () => {
  let stack: Stack;
  let browser: Browser;
  const killable: KillableBrowser[] = [];
  let meeting: PreparedMeeting;
  let pages: MeetingPages;
  let lee: Page;
  let sam: Page;

  const inRoom = (page: Page) => page.getByTestId('mode-banner').waitFor({ timeout: 30_000 });
  const lobbyEntry = (name: string) =>
    lee.locator('[data-testid="lobby-entry"]', { hasText: name });
  const connectionOf = (page: Page, participantId: string) =>
    page.locator(
      `[data-testid="roster-entry"][data-participant-id="${participantId}"] [data-testid="roster-connection"]`,
    );

  /** A guest on their own Chromium process, knocking with their link. */
  async function guestOnOwnBrowser(name: string) {
    const own = await launchKillableChromium({ audioFile: writeToneWav({ frequency: 660 }) });
    killable.push(own);
    const opened = await pages.open(own.browser, null, '/');
    await pages.knock(opened.page, name, name);
    return { own, opened };
  }

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Peter', relationship: 'brother' },
      { name: 'Gran', relationship: 'grandmother' },
    ]);
    pages = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    lee = (await pages.facilitator(browser)).page;
    const samPage = await pages.open(browser, null, '/');
    sam = samPage.page;
    await pages.knock(sam, 'Sam', 'Sam');
    await lobbyEntry('Sam').getByTestId('lobby-admit').click();
    await inRoom(sam);
  }, 180_000);

  afterAll(async () => {
    for (const k of killable) await k.browser.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('the room page may connect only to this origin and the media server (and media flows)', async () => {
    const page = await fetch(`${stack.origin}/m/${meeting.meetingId}`);
    const policy = page.headers.get('content-security-policy') ?? '';
    const host = new URL(stack.livekit.url).host;
    expect(/connect-src ([^;]*)/.exec(policy)?.[1]).toBe(`'self' ws://${host} http://${host}`);
    // Sam's page is in the room under that policy and hears Lee.
    await sam
      .locator('[data-testid="remote-audio"][data-playing="true"]')
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
  });

  it('a guest tab whose stored CSRF token was cleared can still act after a reload', async () => {
    await sam.evaluate(() => sessionStorage.clear());
    await sam.reload();
    await inRoom(sam);
    await openPanel(sam, 'mine');
    const mine = sam.getByTestId('my-companions');
    await mine.locator('summary').click();
    await mine.getByTestId('companion-input').fill('Aunt Ilse');
    await mine.getByTestId('companion-add').click();
    await mine.getByTestId('companions-save').click();
    await openPanel(lee, 'people');
    await lee
      .locator('[data-testid="roster-entry"]', { hasText: 'Sam' })
      .getByText('Aunt Ilse')
      .waitFor({ timeout: 15_000 });
    await expect(sam.getByTestId('command-error').count()).resolves.toBe(0);
  });

  it('a guest whose browser is killed shows as lost on every page, and in the timeline', async () => {
    const { own, opened } = await guestOnOwnBrowser('Peter');
    await lobbyEntry('Peter').getByTestId('lobby-admit').click();
    await sam.getByTestId('consent-yes').click();
    await inRoom(opened.page);
    const peter = opened.participantId();
    for (const page of [lee, sam]) await openPanel(page, 'people');
    for (const page of [lee, sam]) {
      await connectionOf(page, peter)
        .and(page.locator('[data-connection="connected"]'))
        .waitFor({ timeout: 30_000 });
    }

    own.kill();
    const killedAt = Date.now();
    for (const page of [lee, sam]) {
      await connectionOf(page, peter)
        .and(page.locator('[data-connection="lost"]'))
        .waitFor({ timeout: Math.max(1, killedAt + DEPARTURE_MS + SLACK_MS - Date.now()) });
      await expect(connectionOf(page, peter).textContent()).resolves.toMatch(
        /lost connection \d+:\d\d ago/,
      );
    }
    await (
      await openPanel(lee, 'timeline')
    )
      .getByText('Peter lost connection')
      .waitFor({ timeout: 10_000 });
  }, 120_000);

  it('a waiting guest whose browser is killed leaves the lobby, and the timeline says so', async () => {
    const { own } = await guestOnOwnBrowser('Gran');
    await lobbyEntry('Gran').waitFor({ timeout: 15_000 });

    own.kill();
    const killedAt = Date.now();
    await lobbyEntry('Gran').waitFor({
      state: 'detached',
      timeout: Math.max(1, killedAt + HEARTBEAT_MS + SLACK_MS - Date.now()),
    });
    await (
      await openPanel(lee, 'timeline')
    )
      .getByText("Gran's waiting page closed; they left the waiting room")
      .waitFor({ timeout: 10_000 });
  }, 120_000);
});
