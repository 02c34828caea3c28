import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  listParticipants,
  participantOf,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages, openPanel, sleep, waitFor, type RoomPage } from './meeting-pages.ts';
import { pageNetwork, type PageNetwork } from './network-cut.ts';
import { audioBytesFrom, inboundBySender, lastMediaAccess } from './room-probe.ts';

// Reconnection that keeps consent (issue 14), in real Chromium against a real livekit-server
// behind the impairment relay (ADR 0029). One page's network goes for longer than
// livekit-client's own retry window (its reconnect policy gives up after about 45 s): its media
// is cut at the relay and the browser is offline for it (live channel and LiveKit signalling
// stall). Times are printed; the waits are generous, never bounds.

const LONG = 180_000;

describe('a network cut past the SDK retry window', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let mia: RoomPage;
  let peter: RoomPage;
  let net: PageNetwork;
  const room = () => listParticipants(stack.livekit, meeting.meetingId);
  const connectionOf = (page: Page, participantId: string) =>
    page.locator(
      `[data-testid="roster-entry"][data-participant-id="${participantId}"] [data-testid="roster-connection"]`,
    );
  /** The people panel of `page` shows the person's connection as `connection`. */
  const shows = async (page: Page, participantId: string, connection: string) => {
    await openPanel(page, 'people');
    await connectionOf(page, participantId)
      .and(page.locator(`[data-connection="${connection}"]`))
      .waitFor({ timeout: LONG });
  };
  const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

  /** Watches, inside the page, whether a selector ever matched (every 100 ms). */
  const watch = (page: Page, name: string, selector: string) =>
    page.evaluate(
      ({ name, selector }) => {
        const w = window as unknown as Record<string, number>;
        w[name] = 0;
        setInterval(() => {
          if (document.querySelector(selector)) w[name] = (w[name] ?? 0) + 1;
        }, 100);
      },
      { name, selector },
    );
  const seen = (page: Page, name: string) =>
    page.evaluate((name) => (window as unknown as Record<string, number>)[name] ?? 0, name);

  /** Waits until `page` receives sound from the LiveKit participant `sid`. */
  async function hears(page: Page, sid: string): Promise<void> {
    const start = await audioBytesFrom(page, sid);
    await waitFor(
      async () => (await audioBytesFrom(page, sid)) > start + 4000,
      30_000,
      `audio from ${sid}`,
    ).catch(async (err: unknown) => {
      console.log(`[reconnect] inbound: ${JSON.stringify(await inboundBySender(page))}`);
      throw err;
    });
  }

  beforeAll(async () => {
    stack = await startStack({ web: true, impaired: {}, timeoutMs: 180_000 });
    // No centre person: the facilitator's admission alone lets people in (product.md 4.2).
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Mia', relationship: 'aunt' },
      { name: 'Peter', relationship: 'brother' },
    ]);
    people = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    lee = await people.facilitator(browser);
    mia = await people.guest(browser, 'Mia');
    peter = await people.guest(browser, 'Peter');
    await people.admitAndWait(mia);
    const others = new Set(stack.impairment!.relay.udp.sessions().map((s) => s.client));
    await people.admitAndWait(peter);
    net = await pageNetwork(peter.page, stack.impairment!.relay.udp, others);
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('others see "lost connection" (no frozen tile), the page offers Rejoin, and Rejoin brings the person back without a knock', async () => {
    const peterId = peter.participantId();
    for (const page of [lee.page, mia.page]) await shows(page, peterId, 'connected');
    const before = (await room()).find((p) => participantOf(p.identity) === peterId);
    expect(before, 'Peter in LiveKit before the cut').toBeDefined();
    for (const page of [lee.page, mia.page]) await hears(page, before!.sid);
    await watch(lee.page, '__knocks', '[data-testid="lobby-entry"]');
    await watch(peter.page, '__lobby', '[data-testid="lobby-waiting"]');

    await net.cut();
    const cutAt = Date.now();
    for (const page of [lee.page, mia.page]) {
      await shows(page, peterId, 'lost');
      console.log(`[reconnect] "lost connection" on another page after ${since(cutAt)}`);
      // Not a frozen tile: the picture of the connection that went is gone with it.
      await page
        .locator(`[data-testid="remote-tile"][data-identity="${before!.identity}"]`)
        .waitFor({ state: 'detached', timeout: 15_000 });
    }
    const rejoin = peter.page.getByTestId('media-rejoin');
    await rejoin.waitFor({ timeout: LONG });
    console.log(`[reconnect] "Rejoin" on the cut page after ${since(cutAt)}`);
    // Past the SDK's own window: the page is no longer trying quietly, and says so.
    await expect(peter.page.getByTestId('media-reconnecting').textContent()).resolves.toMatch(
      /lost/i,
    );

    // The page also comes back by itself once it sees the network (the browser's `online`, its
    // own backoff): "Rejoin" is pressed in the same moment, before that can happen.
    await net.restore();
    const restoredAt = Date.now();
    const pressed = await peter.page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="media-rejoin"]');
      button?.click();
      return button !== null;
    });
    expect(pressed, '"Rejoin" was there to press').toBe(true);
    for (const page of [lee.page, mia.page]) await shows(page, peterId, 'connected');
    await peter.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: LONG });
    console.log(
      `[reconnect] back on every roster ${since(restoredAt)} after the network came back`,
    );

    // The same admission (its identity carries the admission number), and no knock meanwhile.
    const after = (await room()).find((p) => participantOf(p.identity) === peterId);
    expect(after?.identity).toBe(before!.identity);
    expect(after?.sid).not.toBe(before!.sid);
    expect(await seen(lee.page, '__knocks')).toBe(0);
    expect(await seen(peter.page, '__lobby')).toBe(0);
    // Peter's sound reaches the others again.
    console.log(`[reconnect] in LiveKit after: ${JSON.stringify(after)}`);
    for (const page of [lee.page, mia.page]) await hears(page, after!.sid);
    await openPanel(lee.page, 'timeline');
    await lee.page
      .getByTestId('timeline')
      .getByText(/Peter lost connection/)
      .first()
      .waitFor({ timeout: 10_000 });
  }, 400_000);

  it('a person asked to leave while cut off cannot come back by Rejoin or by reloading', async () => {
    const peterId = peter.participantId();
    await net.cut();
    const cutAt = Date.now();
    await shows(lee.page, peterId, 'lost');
    console.log(`[reconnect] lost after ${since(cutAt)}; asking Peter to leave`);
    const entry = lee.page.locator(
      `[data-testid="roster-entry"][data-participant-id="${peterId}"]`,
    );
    await entry.getByTestId('ask-to-leave').click();
    await lee.page.getByTestId('ask-to-leave-confirm').click();
    await entry.waitFor({ state: 'detached', timeout: 15_000 });
    const accessBefore = lastMediaAccess(peter.frames);
    const framesAtRemoval = peter.frames.length;

    await net.restore();
    const rejoin = peter.page.getByTestId('media-rejoin');
    if (await rejoin.isVisible()) await rejoin.click({ timeout: 2_000 }).catch(() => undefined);
    await peter.page.getByTestId('lobby-stepped-out').waitFor({ timeout: LONG });
    console.log(
      `[reconnect] the removed page shows it was asked to leave, ${since(cutAt)} after the cut`,
    );

    await peter.page.reload();
    await peter.page.getByTestId('lobby-stepped-out').waitFor({ timeout: 30_000 });
    // No media since: no fresh access on the live channel, nobody of his in LiveKit, no sound.
    await sleep(5_000);
    const later = peter.frames.slice(framesAtRemoval);
    expect(later.some((f) => f.message.type === 'snapshot' && f.message.media)).toBe(false);
    expect(lastMediaAccess(peter.frames)?.identity ?? null).toBe(accessBefore?.identity ?? null);
    expect((await room()).some((p) => participantOf(p.identity) === peterId)).toBe(false);
    await expect(
      lee.page.locator(`[data-testid="roster-entry"][data-participant-id="${peterId}"]`).count(),
    ).resolves.toBe(0);
  }, 400_000);
});
