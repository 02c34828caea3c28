import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages, waitFor, type RoomPage } from './meeting-pages.ts';
import { pageNetwork } from './network-cut.ts';

// Connection quality through the impairment relay (issue 14, ADR 0031): one page's media is
// made lossy at the relay; its own indicator turns weak, the room proposes audio only after
// the weakness lasts, and the indicator recovers once the loss is gone. LiveKit scores the
// connection on the server every few seconds; the waits are generous and the times printed.

const LONG = 90_000;

describe('own connection quality under a lossy network', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let mia: RoomPage;
  let others: Set<string>;

  beforeAll(async () => {
    stack = await startStack({ web: true, impaired: {}, timeoutMs: 180_000 });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Mia', relationship: 'aunt' },
    ]);
    people = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    await people.facilitator(browser);
    mia = await people.guest(browser, 'Mia');
    await waitFor(() => stack.impairment!.relay.udp.sessions().length > 0, 30_000, 'Lee on media');
    others = new Set(stack.impairment!.relay.udp.sessions().map((s) => s.client));
    await people.admitAndWait(mia);
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('turns weak at 35 % loss, proposes audio only, and recovers when the loss ends', async () => {
    const own = mia.page.getByTestId('own-connection-quality');
    const quality = () => own.getAttribute('data-quality');
    const good = mia.page.locator(
      '[data-testid="own-connection-quality"]:is([data-quality="good"], [data-quality="excellent"])',
    );
    await good.waitFor({ timeout: LONG });
    await expect(mia.page.getByTestId('audio-only-proposal').count()).resolves.toBe(0);

    const net = await pageNetwork(mia.page, stack.impairment!.relay.udp, others);
    await net.media({ loss: 0.35 });
    const lossyAt = Date.now();
    await mia.page
      .locator(
        '[data-testid="own-connection-quality"]:is([data-quality="poor"], [data-quality="lost"])',
      )
      .waitFor({ timeout: LONG });
    console.log(
      `[quality] weak (${await quality()}) after ${Date.now() - lossyAt} ms of 35 % loss`,
    );
    await mia.page.locator('[data-testid="weak-connection"][data-weak="true"]').waitFor();
    await mia.page.getByTestId('audio-only-proposal').waitFor({ timeout: LONG });
    console.log(`[quality] audio only proposed after ${Date.now() - lossyAt} ms`);
    const { udp } = stack.impairment!.relay;
    const dropped = udp.up.dropped + udp.down.dropped;
    expect(dropped).toBeGreaterThan(0);

    await net.restore();
    const clearedAt = Date.now();
    await good.waitFor({ timeout: LONG });
    console.log(
      `[quality] ${await quality()} again ${Date.now() - clearedAt} ms after the loss ended`,
    );
    await mia.page.getByTestId('audio-only-proposal').waitFor({ state: 'detached' });
    await mia.page
      .locator('[data-testid="weak-connection"][data-weak="false"]')
      .waitFor({ state: 'attached' });
  }, 300_000);
});
