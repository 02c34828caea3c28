import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtWebFile,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import {
  describeMedia,
  localIdentity,
  MeetingPages,
  waitFor,
  type RoomPage,
} from './meeting-pages.ts';
import { hears } from './tone.ts';

// A "mute" pressed while one's media is still connecting (real Chromium pages, the real web
// server, signal service and livekit-server): on a phone on 4G that can be seconds, and someone
// in a noisy room wants to be muted before anyone hears them. The bar's microphone and camera
// buttons and their keyboard shortcuts work from the moment the room shows, and meanwhile show
// what will be on. Dad's page is held in the middle of joining LiveKit (as in
// admitted-while-connecting); he presses the microphone's shortcut and the camera's button. Once connected, his microphone and camera must stay off: nobody hears
// or sees him until he turns them on again (the control that shows the test can fail: then
// the facilitator does hear and see him).
//
// The hold: the end-to-end encryption worker's loader, fetched inside the connect after the
// page has taken the person's choices. So the meeting is encrypted.

const TONE = { lee: 440, dad: 620 } as const;
const ENCRYPTED = { encrypted: true } as const;

describe('microphone and camera turned off while connecting', () => {
  let stack: Stack;
  const browsers: Browser[] = [];
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let dad: RoomPage;
  let dadIdentity = '';
  let held = 0;

  const connected = (page: Page) =>
    page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({
      timeout: 90_000,
    });
  const dadTile = () =>
    lee.page.locator(`[data-testid="remote-tile"][data-identity="${dadIdentity}"]`);
  const pressed = (page: Page, testid: string) =>
    page.getByTestId(testid).getAttribute('aria-pressed');

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Dad', relationship: 'father' },
    ]);
    people = new MeetingPages(stack, meeting);
    const [leeBrowser, dadBrowser] = await Promise.all(
      (['lee', 'dad'] as const).map((who) =>
        launchChromium({ audioFile: writeToneWav({ frequency: TONE[who] }) }),
      ),
    );
    browsers.push(leeBrowser!, dadBrowser!);
    lee = await people.facilitator(leeBrowser!, ENCRYPTED);
    await connected(lee.page);

    dad = await people.open(dadBrowser!, null, '/', ENCRYPTED);
    const workerLoader = `**/${builtWebFile((key) => key.endsWith('livekit-client.e2ee.worker.mjs?worker'))}`;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await dad.page.context().route(workerLoader, async (route) => {
      held++;
      await released;
      await route.continue();
    });
    // Dad joins with his microphone and camera on (the pre-join defaults); Lee lets him in
    // from her lobby.
    await people.knock(dad.page, 'Dad', 'Dad');
    await waitFor(() => dad.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    await lee.page
      .locator('[data-testid="lobby-entry"]', { hasText: 'Dad' })
      .getByTestId('lobby-admit')
      .click({ timeout: 30_000 });
    await waitFor(() => held > 0, 90_000, 'Dad’s page fetching the held worker loader');
    await dad.page.getByTestId('control-bar').waitFor({ timeout: 90_000 });
    expect(await dad.page.getByTestId('media-status').getAttribute('data-state')).toBe(
      'connecting',
    );

    // While it connects the bar shows what will be on (both, as chosen before joining); the
    // microphone's shortcut and the camera's button turn that over, and the bar says so.
    expect(await pressed(dad.page, 'toggle-microphone')).toBe('true');
    expect(await pressed(dad.page, 'toggle-camera')).toBe('true');
    await dad.page.keyboard.press('Alt+Shift+KeyM');
    await dad.page.getByTestId('toggle-camera').click();
    await waitFor(
      async () =>
        (await pressed(dad.page, 'toggle-microphone')) === 'false' &&
        (await pressed(dad.page, 'toggle-camera')) === 'false',
      10_000,
      'the bar showing both off while connecting',
    );
    expect(await dad.page.getByTestId('media-status').getAttribute('data-state')).toBe(
      'connecting',
    );

    release();
    await connected(dad.page);
    dadIdentity = await localIdentity(dad.page);
  }, 400_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await stack?.stop();
  });

  it('keeps them off once connected: the facilitator neither hears nor sees him', async () => {
    expect(held).toBeGreaterThan(0);
    // Dad is in the facilitator's room (seated, keyed) before silence is taken as an answer.
    await dadTile().waitFor({ timeout: 90_000 });
    await waitFor(
      async () =>
        ((await lee.page.getByTestId('security-code').getAttribute('data-keyed')) ?? '').includes(
          dadIdentity,
        ),
      90_000,
      'the facilitator’s page holding Dad’s key',
    );
    const heard = await hears(lee.page, dadIdentity, TONE.dad, 10_000, [TONE.lee]);
    const why = heard ? `\nLee: ${await describeMedia(lee.page)}` : '';
    expect(heard, `the facilitator hears Dad${why}`).toBe(false);
    expect(await dadTile().getAttribute('data-video')).toBe('none');
    expect(await pressed(dad.page, 'toggle-microphone')).toBe('false');
    expect(await pressed(dad.page, 'toggle-camera')).toBe('false');
  }, 200_000);

  it('the control: turned on again from the bar, he is heard and seen', async () => {
    await dad.page.getByTestId('toggle-microphone').click();
    await dad.page.getByTestId('toggle-camera').click();
    const heard = await hears(lee.page, dadIdentity, TONE.dad, 60_000, [TONE.lee]);
    const why = heard ? '' : `\nLee: ${await describeMedia(lee.page)}`;
    expect(heard, `the facilitator hears Dad${why}`).toBe(true);
    await waitFor(
      async () => (await dadTile().getAttribute('data-video')) !== 'none',
      60_000,
      'Dad’s camera on the facilitator’s page',
    );
  }, 200_000);
});
