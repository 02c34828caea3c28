import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { CAPTURE_LIVEKIT_ROOMS, CAPTURE_TRACK_SENDERS, inboundBySender } from './room-probe.ts';
import { COUNT_TONES, prepareTeam, signIn, startMeetingNow, type Team } from './staff-pages.ts';

const WARD = 'The ward office, 020 123 4567';

/** Every inbound audio byte a page has received, whoever sent it. */
async function audioIn(page: Page): Promise<number> {
  const { audioBytes } = await inboundBySender(page);
  return Object.values(audioBytes).reduce((a, b) => a + b, 0);
}

/** The label of the camera track the page's LiveKit room publishes (`window.__rooms`). */
const PUBLISHED_CAMERA = `(() => {
  const room = (window.__rooms ?? []).at(-1);
  const publication = room?.localParticipant.getTrackPublication('camera');
  return publication?.track?.mediaStreamTrack.label ?? null;
})()`;

/** The label of the camera the pre-join preview shows. */
const PREVIEW_CAMERA = `(() => {
  const video = document.querySelector('[data-testid="device-preview"]');
  return video?.srcObject?.getVideoTracks()[0]?.label ?? null;
})()`;

// Before joining, as people do it: a clinician chooses on the staff meeting page to enter muted;
// the centre person's pre-join page names the organisation, the team and how to reach them,
// tests the speaker and picks the second of two cameras, which is the one the room publishes;
// the record read afterwards says the same and until when it can be read.
describe('before joining: muted staff, speaker test, camera choice, whom to reach', () => {
  let stack: Stack;
  let leeBrowser: Browser;
  let samBrowser: Browser;
  let team: Team;
  let lee: Page;
  let sam: Page;
  let samLink = '';

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    team = await prepareTeam(
      stack.origin,
      [{ name: 'Sam', relationship: 'self', isCentre: true }],
      WARD,
    );
    leeBrowser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    samBrowser = await launchChromium({
      audioFile: writeToneWav({ frequency: 660 }),
      cameras: 2,
    });
  }, 180_000);

  afterAll(async () => {
    await leeBrowser?.close();
    await samBrowser?.close();
    await stack?.stop();
  });

  it('the clinician chooses on the meeting page to enter muted, and is in the room muted', async () => {
    ({ page: lee } = await signIn(leeBrowser, stack.origin, team.clinician));
    await startMeetingNow(lee, team.networkLabel);
    samLink = await lee.getByRole('textbox', { name: 'Link for Sam', exact: true }).inputValue();

    const micSwitch = lee.getByRole('switch', { name: 'Join with my microphone on' });
    expect(await micSwitch.isChecked()).toBe(true);
    await micSwitch.press('Space');
    expect(await micSwitch.isChecked()).toBe(false);
    await lee.getByText('You join muted').waitFor({ timeout: 5_000 });
    // The same check as a guest's, if they want it.
    await lee.getByText('Check camera, microphone and sound before joining').click();
    await lee.getByRole('button', { name: 'Check camera and microphone' }).click();
    await lee
      .locator('[data-testid="device-check"][data-state="ready"]')
      .waitFor({ timeout: 20_000 });
    expect(blocking(await axeFindings(lee))).toEqual([]);

    await lee.getByRole('button', { name: 'Join the meeting' }).click();
    await lee.getByTestId('mode-banner').waitFor({ timeout: 30_000 });
    await lee
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 40_000 });
    await lee.getByTestId('local-tile').waitFor({ timeout: 15_000 });
    expect((await lee.getByTestId('microphone-state').textContent())?.trim()).toBe(
      'Microphone is off',
    );
  }, 240_000);

  it('Sam’s pre-join page names the organisation, the team and how to reach them; the speaker test plays; the second camera is chosen and published', async () => {
    const context = await samBrowser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(CAPTURE_TRACK_SENDERS);
    await context.addInitScript(CAPTURE_LIVEKIT_ROOMS);
    await context.addInitScript(COUNT_TONES);
    sam = await context.newPage();
    await sam.goto(samLink);
    await sam.getByTestId('join-form').waitFor({ timeout: 20_000 });

    const host = sam.getByTestId('meeting-host');
    expect(await host.getByTestId('host-organisation').textContent()).toContain(
      'North Crisis Team',
    );
    expect(await host.getByTestId('host-team').textContent()).toContain(team.clinician.name);
    expect(await host.getByTestId('host-team').textContent()).toContain(team.peerWorker.name);
    expect(await host.getByTestId('host-contact').textContent()).toContain(WARD);

    // The speaker test plays a short tune (three tones, counted at WebAudio) and asks.
    expect(await sam.evaluate('window.__tones')).toBe(0);
    await sam.getByRole('button', { name: 'Test speaker' }).click();
    await expect.poll(() => sam.evaluate('window.__tones'), { timeout: 10_000 }).toBe(3);
    expect(await sam.getByTestId('speaker-test-result').textContent()).toContain(
      'Did you hear a short tune?',
    );

    // Two cameras: a choice appears; the second one is previewed once chosen.
    await sam.getByRole('button', { name: 'Check camera and microphone' }).click();
    const camera = sam.getByLabel('Camera', { exact: true });
    await camera.waitFor({ timeout: 20_000 });
    expect(await camera.locator('option').allTextContents()).toEqual([
      'fake_device_0',
      'fake_device_1',
    ]);
    await expect
      .poll(() => sam.evaluate(PREVIEW_CAMERA), { timeout: 15_000 })
      .toBe('fake_device_0');
    await camera.selectOption({ label: 'fake_device_1' });
    await expect
      .poll(() => sam.evaluate(PREVIEW_CAMERA), { timeout: 15_000 })
      .toBe('fake_device_1');
    expect(blocking(await axeFindings(sam))).toEqual([]);

    await sam.getByLabel('Your name').fill('Sam');
    await sam.getByRole('button', { name: 'Join', exact: true }).click();
    await sam.getByTestId('lobby-waiting').waitFor({ timeout: 20_000 });
    await lee
      .getByTestId('lobby-entry')
      .filter({ hasText: 'Sam' })
      .getByRole('button', { name: /^Admit/ })
      .click();
    await sam
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 40_000 });
    // The room publishes the camera Sam chose.
    await expect
      .poll(() => sam.evaluate(PUBLISHED_CAMERA), { timeout: 30_000 })
      .toBe('fake_device_1');
    await lee.getByTestId('remote-tile').filter({ hasText: 'Sam' }).waitFor({ timeout: 20_000 });

    // Lee entered muted: Sam hears nobody, while Lee hears Sam.
    await expect.poll(() => audioIn(lee), { timeout: 30_000 }).toBeGreaterThan(2000);
    expect(await audioIn(sam)).toBe(0);
  }, 240_000);

  it('the record Sam reads afterwards names the organisation and its contact and says until when it can be read, on paper too', async () => {
    await lee.getByTestId('end-meeting').click();
    await lee.getByRole('button', { name: 'Yes, end for everyone' }).click();
    await sam.getByTestId('meeting-ended').waitFor({ timeout: 20_000 });
    await sam.getByTestId('record-link').click();
    await sam.getByTestId('record-page').waitFor({ timeout: 20_000 });

    const until = sam.getByTestId('record-readable-until');
    await until.waitFor({ timeout: 15_000 });
    // Until Sam's link expires: about two weeks from now (INVITE_TTL_DAYS 14), in Sam's words.
    const expected = (await sam.evaluate(async () => {
      const meetingId = location.pathname.split('/')[2] ?? '';
      const answer = await fetch(`/api/meetings/${meetingId}/record`);
      const { readableUntil } = (await answer.json()) as { readableUntil: string };
      const at = Date.parse(readableUntil);
      return {
        days: (at - Date.now()) / 86_400_000,
        text: new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short' }).format(at),
      };
    })) as { days: number; text: string };
    expect(expected.days).toBeGreaterThan(13);
    expect(expected.days).toBeLessThan(15);
    expect(await until.textContent()).toContain(`This record can be read until ${expected.text}`);

    const host = sam.getByTestId('meeting-host');
    expect(await host.getByTestId('host-organisation').textContent()).toContain(
      'North Crisis Team',
    );
    expect(await host.getByTestId('host-contact').textContent()).toContain(WARD);
    expect(await host.getByTestId('host-team').textContent()).toContain(team.clinician.name);
    expect(blocking(await axeFindings(sam))).toEqual([]);

    // On paper: the organisation, its contact and the date stay; the print button does not.
    await sam.emulateMedia({ media: 'print' });
    expect(await host.isVisible()).toBe(true);
    expect(await until.isVisible()).toBe(true);
    expect(await sam.getByTestId('record-print').isVisible()).toBe(false);
  }, 120_000);
});
