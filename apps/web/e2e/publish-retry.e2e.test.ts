import type { Browser, WebSocketRoute } from 'playwright-core';
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
import { MeetingPages, localIdentity, waitFor, type RoomPage } from './meeting-pages.ts';
import { hears } from './tone.ts';

// A publish the connection loses is tried again (real Chromium pages, the real web server,
// signal service and livekit-server). Dad's page talks to LiveKit through a relay that drops
// his page's first "add track" request on its way to the server, as a loaded network or
// server can lose one: livekit-client then gives up on that track after its own timeout (10 s)
// with a connection error. His camera and microphone work; the page must not tell him they
// do not, and must publish the track again on its own, with no click. Before this was
// handled, the track stayed unpublished until some other change came along (an interpreter's
// page once published nothing for over a minute in a full run).

const LEE_HZ = 440;
const DAD_HZ = 620;

/** LiveKit's `SignalRequest` with its `add_track` field (4, length-delimited) set. */
const ADD_TRACK_TAG = 0x22;

describe('a publish the connection loses', () => {
  let stack: Stack;
  const browsers: Browser[] = [];
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let dad: RoomPage;
  /** Add-track requests from Dad's page: dropped (the first) and passed on. */
  const requests = { dropped: 0, passed: 0 };

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Dad', relationship: 'father' },
    ]);
    people = new MeetingPages(stack, meeting);
    const [leeBrowser, dadBrowser] = await Promise.all(
      [LEE_HZ, DAD_HZ].map((frequency) =>
        launchChromium({ audioFile: writeToneWav({ frequency }) }),
      ),
    );
    browsers.push(leeBrowser!, dadBrowser!);
    lee = await people.facilitator(leeBrowser!);
    await lee.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 90_000 });

    dad = await people.open(dadBrowser!, null, '/');
    await dad.page.context().routeWebSocket(/\/rtc\//, (page: WebSocketRoute) => {
      const server = page.connectToServer();
      page.onMessage((message) => {
        if (typeof message !== 'string' && message[0] === ADD_TRACK_TAG) {
          if (requests.dropped === 0) {
            requests.dropped++;
            return;
          }
          requests.passed++;
        }
        server.send(message);
      });
    });
    await people.knock(dad.page, 'Dad', 'Dad');
    await waitFor(() => dad.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    await people.admit(dad.participantId());
    await dad.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 90_000 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await stack?.stop();
  });

  it('is published again on its own, and the page does not blame the devices', async () => {
    const dadId = dad.participantId();
    const sourcesOfDad = async () =>
      (await listParticipants(stack.livekit, meeting.meetingId)).find(
        (m) => participantOf(m.identity) === dadId,
      )?.sources ?? [];
    const from = Date.now();
    await waitFor(
      async () => {
        const sources = await sourcesOfDad();
        return sources.includes('MICROPHONE') && sources.includes('CAMERA');
      },
      90_000,
      'Dad’s microphone and camera published',
    );
    console.info(
      `publish retry: both of Dad's tracks published ${Date.now() - from} ms after he connected ` +
        `(add-track requests: ${requests.dropped} dropped, ${requests.passed} passed on)`,
    );
    // The relay did drop one: otherwise this proves nothing.
    expect(requests.dropped).toBe(1);
    expect(requests.passed).toBeGreaterThanOrEqual(2);
    expect(await dad.page.getByTestId('device-notice').count()).toBe(0);
    expect(await hears(lee.page, await localIdentity(dad.page), DAD_HZ, 60_000)).toBe(true);
  }, 180_000);
});
