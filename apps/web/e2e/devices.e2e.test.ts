import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages, sleep } from './meeting-pages.ts';

// A personal link opened in a second browser (forwarded, or the person's other device) while
// its holder is in the room: it knocks like anyone, needs both keys again, and only then takes
// the seat; until then the first device keeps it, also across a reload.

describe('the same personal link on a second device', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let pages: MeetingPages;
  let lee: Page;
  let sam: Page;

  /** A new browser context (its own cookies: another device) that opens the link and knocks. */
  async function device(name: string, displayName: string): Promise<Page> {
    const { page } = await pages.open(browser, null, '/');
    await pages.knock(page, name, displayName);
    return page;
  }

  const inRoom = (page: Page) => page.getByTestId('mode-banner').waitFor({ timeout: 30_000 });

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Peter', relationship: 'brother' },
    ]);
    pages = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    lee = (await pages.facilitator(browser)).page;
    sam = await device('Sam', 'Sam');
    await lee
      .locator('[data-testid="lobby-entry"]', { hasText: 'Sam' })
      .getByTestId('lobby-admit')
      .click();
    await inRoom(sam);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('knocks, is shown as from another device, needs both keys; a reload keeps the first device’s seat', async () => {
    // Peter comes in on his first device with both keys.
    const first = await device('Peter', 'Peter');
    await first.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    await sam.getByTestId('consent-yes').click();
    await lee
      .locator('[data-testid="lobby-entry"]', { hasText: 'Peter' })
      .getByTestId('lobby-admit')
      .click();
    await inRoom(first);

    // The same link in another browser: the lobby, not the room.
    const second = await device('Peter', 'Someone with the link');
    await second.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    expect(await second.getByTestId('mode-banner').count()).toBe(0);

    // The facilitator sees it as Peter joining from another device; the centre person is asked.
    const entry = lee.locator('[data-testid="lobby-entry"]', { hasText: 'Peter' });
    await expect
      .poll(() => entry.getByTestId('lobby-other-device').textContent(), { timeout: 15_000 })
      .toContain('Peter is joining from another device');
    const prompt = sam.getByTestId('consent-prompt');
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain('Peter is joining from another device');

    // The first device is told its link is knocking from another device.
    await first.getByTestId('other-device-notice').waitFor({ timeout: 15_000 });

    // A reload on the first device: still in the room, no new knock.
    await first.reload();
    await inRoom(first);
    expect(await first.getByTestId('lobby-waiting').count()).toBe(0);
    await expect
      .poll(() => lee.getByTestId('roster').textContent(), { timeout: 10_000 })
      .toContain('Peter');

    // The facilitator alone does not let the second device in.
    await entry.getByTestId('lobby-admit').click();
    await sleep(2_000);
    expect(await second.getByTestId('lobby-waiting').count()).toBe(1);
    expect(await second.getByTestId('mode-banner').count()).toBe(0);
    expect(await first.getByTestId('moved-to-another-device').count()).toBe(0);

    // The centre person's yes turns the second key: the seat moves, the first device is told.
    await sam.getByTestId('consent-yes').click();
    await inRoom(second);
    const moved = first.getByTestId('moved-to-another-device');
    await moved.waitFor({ timeout: 15_000 });
    expect(await first.getByTestId('connection-status').getAttribute('data-reason')).toBe('moved');
    expect(await first.getByTestId('connection-status').textContent()).not.toContain(
      'You are not in this meeting',
    );
    expect(await first.getByTestId('mode-banner').count()).toBe(0);
  }, 180_000);
});
