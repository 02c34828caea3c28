import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  CAPTURE_PEER_CONNECTIONS,
  READ_INBOUND_TOTALS,
  launchChromium,
  writeToneWav,
  type MediaTotals,
} from '@polyphony/stack';

export const GUEST_COOKIE = 'pp_guest';

export interface OpenedPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * One participant's own Chromium (its own fake microphone tone), signed in by the
 * guest-session cookie the seed created, with peer connections captured for stats.
 */
export async function openMeetingPage(
  origin: string,
  meetingId: string,
  sessionToken: string,
  toneHz: number,
  /** Records the page's peer connections as `window.__pcs` (default {@link CAPTURE_PEER_CONNECTIONS}). */
  initScript: string = CAPTURE_PEER_CONNECTIONS,
): Promise<OpenedPage> {
  const browser = await launchChromium({ audioFile: writeToneWav({ frequency: toneHz }) });
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addCookies([
    { name: GUEST_COOKIE, value: sessionToken, url: origin, httpOnly: true, sameSite: 'Strict' },
  ]);
  await context.addInitScript(initScript);
  const page = await context.newPage();
  await page.goto(`${origin}/m/${meetingId}`);
  return { browser, context, page, close: () => browser.close() };
}

export function inboundTotals(page: Page): Promise<MediaTotals> {
  return page.evaluate(READ_INBOUND_TOTALS) as Promise<MediaTotals>;
}

/** Waits until `check` passes on fresh stats, or fails with the last totals seen. */
export async function waitForMedia(
  page: Page,
  check: (before: MediaTotals, now: MediaTotals) => boolean,
  timeoutMs = 30_000,
): Promise<{ before: MediaTotals; now: MediaTotals }> {
  const before = await inboundTotals(page);
  const deadline = Date.now() + timeoutMs;
  let now = before;
  while (Date.now() < deadline) {
    await page.waitForTimeout(500);
    now = await inboundTotals(page);
    if (check(before, now)) return { before, now };
  }
  throw new Error(
    `media did not flow: before=${JSON.stringify(before)} now=${JSON.stringify(now)}`,
  );
}
