import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type SeededMeeting, type Stack } from '@polyphony/stack';
import { openMeetingPage, waitForMedia, type OpenedPage } from './fixtures.ts';

// Two real Chromium pages on the product's own meeting page, through the real web server,
// signal service and livekit-server: each must receive the other's audio and video.
describe('first meeting: two browsers', () => {
  let stack: Stack<SeededMeeting>;
  const pages: OpenedPage[] = [];

  beforeAll(async () => {
    stack = await startStack<SeededMeeting>({
      web: true,
      seed: {
        participants: [
          { displayName: 'Dr Lee', role: 'facilitator' },
          { displayName: 'Sam', role: 'centre' },
        ],
      },
    });
  });

  afterAll(async () => {
    for (const p of pages) await p.close();
    await stack?.stop();
  });

  it('each page receives the other page’s audio and video over LiveKit', async () => {
    const seeded = stack.seeded;
    expect(seeded).not.toBeNull();
    const [lee, sam] = seeded!.participants;
    pages.push(await openMeetingPage(stack.origin, seeded!.meetingId, lee!.sessionToken, 440));
    pages.push(await openMeetingPage(stack.origin, seeded!.meetingId, sam!.sessionToken, 660));

    for (const { page } of pages) {
      await page.waitForSelector('[data-testid="remote-tile"]', { timeout: 30_000 });
      const { before, now } = await waitForMedia(
        page,
        (b, n) => n.audioBytes > b.audioBytes + 2000 && n.videoFramesDecoded > 0,
      );
      expect(now.audioBytes).toBeGreaterThan(before.audioBytes);
      expect(now.videoFramesDecoded).toBeGreaterThan(0);
    }
  });

  it('a page without a session cookie gets no media and is told it is not in the meeting', async () => {
    const opened = await openMeetingPage(
      stack.origin,
      stack.seeded!.meetingId,
      'not-a-session',
      500,
    );
    pages.push(opened);
    const status = opened.page.getByTestId('connection-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).toBe('closed');
    const pcs = await opened.page.evaluate('(window.__pcs ?? []).length');
    expect(pcs).toBe(0);
  });
});
