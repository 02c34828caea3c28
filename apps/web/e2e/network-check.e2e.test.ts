import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  freeUdpPort,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type Stack,
} from '@polyphony/stack';

// The pre-join network check (issue 14) against the real stack: LiveKit's embedded TURN on
// loopback answers a relayed address over UDP with the credentials the signal service made
// for the probe, the media server answers over TCP, and a deployment without TURN over TLS
// says so. A deployment whose TURN address is wrong (nothing answers there) is reported as
// blocked, in plain words with what to ask the IT team. Times are printed.

/** A fresh meeting's personal link (the stack's first-run setup happens once, here). */
async function linkOf(stack: Stack): Promise<string> {
  const meeting = await prepareMeeting(stack.origin, stack.origin, [
    { name: 'Sam', relationship: 'self', isCentre: true },
  ]);
  return meeting.links[0]!.token;
}

async function openJoinPage(
  stack: Stack,
  browser: Browser,
  token: string,
  lang = 'en-GB',
): Promise<Page> {
  const context = await browser.newContext({ locale: lang });
  const page = await context.newPage();
  await page.goto(`${stack.origin}/join/${token}`);
  await page.getByTestId('network-check').waitFor({ timeout: 20_000 });
  return page;
}

async function runCheck(page: Page): Promise<number> {
  const started = Date.now();
  await page.getByTestId('network-check-run').click();
  await page
    .locator('[data-testid="network-check"][data-state="done"]')
    .waitFor({ timeout: 60_000 });
  return Date.now() - started;
}

const result = (page: Page, path: string) =>
  page.getByTestId(`network-check-${path}`).getAttribute('data-result');

describe('the pre-join network check', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('on the test stack (TURN over UDP, no TLS)', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ web: true, timeoutMs: 180_000 });
    }, 400_000);
    afterAll(async () => {
      await stack?.stop();
    });

    it('finds UDP and TCP open, and says TURN over TLS is not used here', async () => {
      const page = await openJoinPage(stack, browser, await linkOf(stack));
      const ms = await runCheck(page);
      console.log(`[network-check] done in ${ms} ms`);
      expect(await result(page, 'udp')).toBe('reachable');
      expect(await result(page, 'tcp')).toBe('reachable');
      expect(await result(page, 'tls')).toBe('not_offered');
      await expect(page.getByTestId('network-check-good').textContent()).resolves.toContain(
        'Your network lets the meeting through',
      );
      expect(ms).toBeLessThan(60_000);
      if (process.env.SCREENSHOTS === '1') {
        // The pre-join page with its checks done, for docs/screenshots (phone size).
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({
          path: fileURLToPath(
            new URL('../../../docs/screenshots/prejoin-390x844.png', import.meta.url),
          ),
          fullPage: true,
        });
      }
      await page.context().close();
    }, 120_000);
  });

  describe('where nothing answers at the TURN addresses', () => {
    let stack: Stack;
    let udpPort = 0;
    let tlsPort = 0;
    beforeAll(async () => {
      udpPort = await freeUdpPort();
      tlsPort = await freePort();
      stack = await startStack({
        web: true,
        timeoutMs: 180_000,
        signalEnv: {
          TURN_UDP_URL: `turn:127.0.0.1:${udpPort}`,
          TURN_TLS_URL: `turns:127.0.0.1:${tlsPort}`,
        },
      });
    }, 400_000);
    afterAll(async () => {
      await stack?.stop();
    });

    it('reports UDP and TLS blocked, with what to ask the IT team, in English and Finnish', async () => {
      const token = await linkOf(stack);
      const page = await openJoinPage(stack, browser, token);
      const ms = await runCheck(page);
      console.log(`[network-check] done in ${ms} ms with both TURN ways failing`);
      expect(await result(page, 'udp')).toBe('blocked');
      expect(await result(page, 'tls')).toBe('blocked');
      expect(await result(page, 'tcp')).toBe('reachable');
      await expect(page.getByTestId('network-check-udp').textContent()).resolves.toContain(
        `ask your IT team to allow UDP to 127.0.0.1:${udpPort}`,
      );
      await expect(page.getByTestId('network-check-tls').textContent()).resolves.toContain(
        `allow TLS to 127.0.0.1:${tlsPort}`,
      );
      expect(await page.getByTestId('network-check-good').count()).toBe(0);
      await page.context().close();

      const fi = await openJoinPage(stack, browser, token, 'fi-FI');
      await runCheck(fi);
      await expect(fi.getByTestId('network-check-udp').textContent()).resolves.toContain(
        `pyydä IT-tukea sallimaan UDP-liikenne osoitteeseen 127.0.0.1:${udpPort}`,
      );
      await fi.context().close();
    }, 400_000);
  });
});
