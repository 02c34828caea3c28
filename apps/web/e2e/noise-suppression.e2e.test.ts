import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  writeNoiseWav,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages, sleep } from './meeting-pages.ts';

// Noise suppression (ADR 0032): a guest's microphone goes through RNNoise by default, served by
// the product itself; the team's does not; the switch turns it off and on. Proven at the
// listener: Sam's microphone plays steady white noise (a fan, a bus), and what reaches Lee's
// page is measured with the suppressor on and off.

/** Inbound audio at a page, summed over its senders: bytes and the decoded sound's energy. */
const READ_INBOUND_AUDIO = `(async () => {
  let bytes = 0, energy = 0, duration = 0;
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      bytes += s.bytesReceived ?? 0;
      energy += s.totalAudioEnergy ?? 0;
      duration += s.totalSamplesDuration ?? 0;
    });
  }
  return { bytes, energy, duration };
})()`;

interface Inbound {
  readonly bytes: number;
  readonly energy: number;
  readonly duration: number;
}

/** Over `ms`: the bit rate (kbps) and mean power of the sound arriving at `page`. */
async function listen(page: Page, ms: number): Promise<{ kbps: number; power: number }> {
  const a = (await page.evaluate(READ_INBOUND_AUDIO)) as Inbound;
  await sleep(ms);
  const b = (await page.evaluate(READ_INBOUND_AUDIO)) as Inbound;
  const seconds = b.duration - a.duration;
  return {
    kbps: ((b.bytes - a.bytes) * 8) / ms,
    power: seconds > 0 ? (b.energy - a.energy) / seconds : 0,
  };
}

describe('noise suppression on the microphone', () => {
  let stack: Stack;
  let teamBrowser: Browser;
  let guestBrowser: Browser;
  let meeting: PreparedMeeting;
  let pages: MeetingPages;
  let lee: Page;
  let sam: Page;

  const switchOf = (page: Page) => page.getByTestId('noise-suppression');
  const active = async (page: Page, on: boolean) =>
    page
      .locator(`[data-testid="noise-suppression"][data-active="${on}"]`)
      .waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
    ]);
    pages = new MeetingPages(stack, meeting);
    teamBrowser = await launchChromium({
      audioFile: writeToneWav({ frequency: 440, silent: true }),
    });
    guestBrowser = await launchChromium({ audioFile: writeNoiseWav() });
    lee = (await pages.facilitator(teamBrowser, { noiseSuppression: true })).page;
    const guest = await pages.guest(guestBrowser, 'Sam', { noiseSuppression: true });
    sam = guest.page;
    await pages.admitAndWait(guest);
    await lee
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await teamBrowser?.close();
    await guestBrowser?.close();
    await stack?.stop();
  });

  it('is on for a guest and off for the team by default, and the switch says so', async () => {
    await active(sam, true);
    expect(await switchOf(sam).getByRole('button').getAttribute('aria-pressed')).toBe('true');
    await active(lee, false);
    expect(await switchOf(lee).getByRole('button').getAttribute('aria-pressed')).toBe('false');
  });

  it('takes the noise out of what the others hear, and the switch puts it back', async () => {
    await active(sam, true);
    await sleep(1500);
    const on = await listen(lee, 4000);
    await switchOf(sam).getByRole('button').click();
    await active(sam, false);
    await sleep(1500);
    const off = await listen(lee, 4000);
    await switchOf(sam).getByRole('button').click();
    await active(sam, true);
    await sleep(1500);
    // Switched back on, the encoder's rate can take a while to fall on a loaded machine (once
    // in a full run: power 126x lower but 22 kbps against 34): up to three readings, the first
    // that is quiet on both counts, else the last.
    let again = await listen(lee, 4000);
    for (let i = 1; i < 3 && !(again.power * 4 < off.power && again.kbps * 2 < off.kbps); i++)
      again = await listen(lee, 4000);
    console.log(
      `noise at the listener: suppressed ${on.kbps.toFixed(1)} kbps, power ${on.power.toExponential(2)}; ` +
        `unsuppressed ${off.kbps.toFixed(1)} kbps, power ${off.power.toExponential(2)}; ` +
        `suppressed again ${again.kbps.toFixed(1)} kbps, power ${again.power.toExponential(2)}`,
    );
    // Sound arrives either way (the microphone is not cut); with the suppressor on the noise is
    // several times quieter and, near silence, Opus sends a fraction of the bits. (Seen here:
    // power 9-150x lower, 3-40x fewer bits — fewer since speech is sent at 24 kbit/s; the
    // bounds leave room for a loaded machine.)
    expect(off.power).toBeGreaterThan(0);
    for (const suppressed of [on, again]) {
      expect(suppressed.power * 4).toBeLessThan(off.power);
      expect(suppressed.kbps * 2).toBeLessThan(off.kbps);
    }
  });
});
