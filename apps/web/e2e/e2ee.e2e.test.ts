import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  listParticipants,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import {
  closePanel,
  MeetingPages,
  openPanel,
  waitFor,
  type RoomPage,
  localIdentity,
} from './meeting-pages.ts';
import { hears as hearsTone } from './tone.ts';

// End-to-end encryption bound to consent (issue 15, ADR 0035), on by default for every meeting
// (nothing here switches it on), in real Chromium pages against
// the real web server, signal service and livekit-server. Every fake microphone plays a 440 Hz
// tone; a page hears someone when their decrypted sound, read by an AnalyserNode (smoothing
// off) from the audio element that plays them, has a clear peak at 440 Hz. Encrypted frames that
// a page cannot decrypt are dropped, so no peak.

const TONE_HZ = 440;

/** Whether `listener` hears `identity`'s tone within `ms` (decrypted sound with a clear peak). */
const hears = (listener: Page, identity: string, ms = 30_000) =>
  hearsTone(listener, identity, TONE_HZ, ms);

/** The security code a page shows (hex of its bytes) and its words, once ready. */
async function codeOf(page: Page): Promise<{ hex: string; words: string }> {
  // In the people panel, which may be closed (the stage shows one line that opens it).
  const words = page.getByTestId('security-code-words');
  await words.waitFor({ state: 'attached', timeout: 30_000 });
  return {
    hex: (await words.getAttribute('data-code')) ?? '',
    words: (await words.textContent()) ?? '',
  };
}

/** Waits until every page shows one and the same code other than `previous`; returns it. */
async function sameCodeEverywhere(pages: readonly Page[], previous: string | null = null) {
  let codes: string[] = [];
  await waitFor(
    async () => {
      codes = await Promise.all(pages.map(async (p) => (await codeOf(p)).hex));
      return codes.every((c) => c === codes[0] && c !== previous && c.length === 16);
    },
    30_000,
    'one new security code on every page',
  ).catch((error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(codes)}`);
  });
  return codes[0]!;
}

describe('end-to-end encrypted meetings', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let sam: RoomPage;
  let dad: RoomPage;

  const connected = (guest: RoomPage) =>
    guest.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 90_000 });
  const guest = async (name: string): Promise<RoomPage> => {
    const opened = await people.open(browser, null, '/');
    await opened.page.goto(`${stack.origin}/join/${people.link(name).token}`);
    await opened.page.getByTestId('join-form').waitFor({ timeout: 90_000 });
    await opened.page.getByTestId('join-name').fill(name);
    await opened.page.getByTestId('join-submit').click();
    await opened.page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 90_000 });
    await waitFor(() => opened.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    return opened;
  };

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: '', isCentre: true },
      { name: 'Dad', relationship: 'father' },
    ]);
    people = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: TONE_HZ }) });
    lee = await people.facilitator(browser);
    sam = await guest('Sam');
    await people.admit(sam.participantId());
    dad = await guest('Dad');
    await people.admit(dad.participantId());
    await sam.page.getByTestId('consent-prompt').waitFor({ timeout: 90_000 });
    await sam.page.getByTestId('consent-yes').click();
    await Promise.all([connected(lee), connected(sam), connected(dad)]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('everyone admitted hears everyone, decrypted, and every page shows the same code', async () => {
    const pages = [lee, sam, dad];
    const ids = await Promise.all(pages.map((p) => localIdentity(p.page)));
    for (const [i, listener] of pages.entries()) {
      for (const [j, id] of ids.entries()) {
        if (i === j) continue;
        expect(await hears(listener.page, id), `${i} hears ${j}`).toBe(true);
      }
    }
    const code = await sameCodeEverywhere(pages.map((p) => p.page));
    // The words differ by language, never by page: all three show English here.
    const words = await Promise.all(pages.map(async (p) => (await codeOf(p.page)).words));
    expect(new Set(words).size).toBe(1);
    expect(words[0]!.split(' ')).toHaveLength(8);
    expect(code).toMatch(/^[0-9a-f]{16}$/);
    // The stage says "end-to-end encrypted" in one line; its button opens the people panel,
    // where the words are read.
    const line = dad.page.getByTestId('e2ee-line');
    await expect.poll(() => line.isVisible()).toBe(true);
    await expect.poll(() => dad.page.getByTestId('security-code-words').isVisible()).toBe(false);
    await dad.page.getByTestId('e2ee-line-open').click();
    await expect
      .poll(() => dad.page.getByTestId('security-code-words').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await dad.page.getByTestId('security-code-words').textContent()).toBe(words[0]);
    await closePanel(dad.page, 'people');
  }, 240_000);

  it('a relay that substitutes a public key gives that page a different code', async () => {
    const before = (await codeOf(sam.page)).hex;
    const leeId = await localIdentity(lee.page);
    // Sam's page reads the key relay through a malicious server: Lee's key is swapped.
    const fake = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    await sam.page.route(`**/api/meetings/${meeting.meetingId}/e2ee`, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { keys: { identity: string; publicKey: string }[] };
      for (const key of body.keys) if (key.identity === leeId) key.publicKey = fake;
      await route.fulfill({ response, json: body });
    });
    await waitFor(async () => (await codeOf(sam.page)).hex !== before, 30_000, 'a changed code');
    expect((await codeOf(lee.page)).hex).toBe(before);
    expect((await codeOf(dad.page)).hex).toBe(before);
    // Waits for a read in flight to be answered (the page polls and is nudged: one may be).
    await sam.page.unrouteAll({ behavior: 'wait' });
    await waitFor(async () => (await codeOf(sam.page)).hex === before, 30_000, 'the code back');
  }, 120_000);

  it('someone asked to leave: the code changes on every page, saying who left; the rest still hear each other on fresh keys', async () => {
    const before = await sameCodeEverywhere([lee.page, sam.page]);
    const [leeId, samId] = await Promise.all([localIdentity(lee.page), localIdentity(sam.page)]);
    await people.remove(dad.participantId());
    const after = await sameCodeEverywhere([lee.page, sam.page], before);
    expect(after).not.toBe(before);
    for (const page of [lee.page, sam.page]) {
      await expect
        .poll(() => page.getByTestId('security-code-why').textContent(), { timeout: 30_000 })
        .toContain('Dad left');
    }
    expect(await hears(lee.page, samId)).toBe(true);
    expect(await hears(sam.page, leeId)).toBe(true);
  }, 180_000);

  it('a facilitator turns encryption off: every page is told and hears in the clear; back on, encrypted again', async () => {
    const pages = [lee.page, sam.page];
    const [leeId, samId] = (await Promise.all(pages.map((p) => localIdentity(p)))) as [
      string,
      string,
    ];
    /** Whether every track in the room is declared encrypted (true) or clear (false) to LiveKit. */
    const tracksAre = async (encrypted: boolean) => {
      const room = await listParticipants(stack.livekit, meeting.meetingId);
      const flags = room.flatMap((m) => m.encrypted);
      return flags.length >= 2 && flags.every((f) => f === encrypted);
    };
    // The control: encrypted now, by default.
    await waitFor(() => tracksAre(true), 30_000, 'encrypted tracks');

    const panel = await openPanel(lee.page, 'people');
    await panel.getByTestId('encryption-off').click();
    for (const page of pages) {
      await page.getByTestId('encryption-off-notice').waitFor({ timeout: 30_000 });
      await page.getByTestId('security-code').waitFor({ state: 'detached', timeout: 60_000 });
    }
    await waitFor(() => tracksAre(false), 60_000, 'clear tracks after turning encryption off');
    expect(await hears(lee.page, samId, 60_000)).toBe(true);
    expect(await hears(sam.page, leeId, 60_000)).toBe(true);
    await openPanel(lee.page, 'timeline');
    await lee.page
      .getByText(/end-to-end encryption is off/)
      .first()
      .waitFor({ timeout: 30_000 });

    const again = await openPanel(lee.page, 'people');
    await again.getByTestId('encryption-on').click();
    for (const page of pages) {
      await page
        .getByTestId('encryption-off-notice')
        .waitFor({ state: 'detached', timeout: 30_000 });
    }
    await sameCodeEverywhere(pages);
    await waitFor(() => tracksAre(true), 60_000, 'encrypted tracks again');
    expect(await hears(lee.page, samId, 60_000)).toBe(true);
    expect(await hears(sam.page, leeId, 60_000)).toBe(true);
  }, 300_000);
});
