import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { MeetingPages, type RoomPage } from './meeting-pages.ts';

// What people see on the tiles and around them, in real Chromium against the real stack: whose
// microphone is off by choice and whose sound the reflection paused; nobody joining during a
// reflection is told their video and sound failed; who asked to respond is cleared once they
// have spoken; the facilitator sees a knock and its Admit button at 200% zoom without scrolling.

const MEDIA_FAILED = 'Video and sound could not start';

/** The microphone badge on the tile of the person named `name`, as `page` shows it. */
const micBadge = (page: Page, name: string) =>
  page.getByTestId('remote-tile').filter({ hasText: name }).getByTestId('tile-microphone');

/** Every alert text on the page now (role="alert"). */
const alerts = async (page: Page): Promise<string[]> =>
  (await page.getByRole('alert').allTextContents()).map((t) => t.trim()).filter(Boolean);

describe('tile icons, joining during a reflection, answered wishes, the lobby at 200% zoom', () => {
  let stack: Stack;
  let leeBrowser: Browser;
  let dadBrowser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let dad: RoomPage;

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Dad', relationship: 'father' },
      { name: 'Aunt Kim', relationship: 'aunt' },
      { name: 'Uncle Bo', relationship: 'uncle' },
      { name: 'Cousin Ria', relationship: 'cousin' },
    ]);
    people = new MeetingPages(stack, meeting);
    [leeBrowser, dadBrowser] = await Promise.all([
      launchChromium({ audioFile: writeToneWav({ frequency: 440 }) }),
      launchChromium({ audioFile: writeToneWav({ frequency: 660 }) }),
    ]);
    lee = await people.facilitator(leeBrowser);
    dad = await people.guest(dadBrowser, 'Dad');
    await people.admitAndWait(dad);
  }, 180_000);

  afterAll(async () => {
    await leeBrowser?.close();
    await dadBrowser?.close();
    await stack?.stop();
  });

  it('Dad sees that Lee turned her microphone off; in a reflection Lee sees that Dad is paused, not muted', async () => {
    const leeOnDad = micBadge(dad.page, 'Dr Lee');
    const leeMic = lee.page.getByTestId('microphone-state');
    await expect
      .poll(async () => (await leeMic.textContent())?.trim(), { timeout: 30_000 })
      .toBe('Microphone is on');
    // Dad receives her sound (her tile shows no badge) once his page subscribed to it.
    await expect
      .poll(
        async () =>
          `${await leeOnDad.getAttribute('data-state')} audio=${await dad.page.getByTestId('remote-audio').count()}`,
        { timeout: 60_000 },
      )
      .toBe('on audio=1');
    expect(await leeOnDad.isVisible()).toBe(false);

    await lee.page.getByTestId('toggle-microphone').click();
    await expect.poll(() => leeOnDad.getAttribute('data-state'), { timeout: 20_000 }).toBe('muted');
    expect(await leeOnDad.isVisible()).toBe(true);
    // The icon is named for screen readers (and for anyone hovering it).
    expect(
      await dad.page.getByTestId('remote-tile').filter({ hasText: 'Dr Lee' }).textContent(),
    ).toContain('Microphone off');
    expect(blocking(await axeFindings(dad.page))).toEqual([]);

    // Lee is the only one of the team here: the control to reflect says so before she starts.
    const alone = lee.page.getByTestId('reflect-alone');
    expect(await alone.textContent()).toContain('only one of the team');
    await lee.page.getByTestId('mode-switch').click();
    await expect
      .poll(() => dad.page.getByTestId('mode-banner').textContent(), { timeout: 20_000 })
      .toContain('Dr Lee is reflecting alone');

    const dadOnLee = micBadge(lee.page, 'Dad');
    await expect
      .poll(() => dadOnLee.getAttribute('data-state'), { timeout: 20_000 })
      .toBe('paused');
    expect(
      await lee.page.getByTestId('remote-tile').filter({ hasText: 'Dad' }).textContent(),
    ).toContain('Sound paused for the reflection');
    // Dad's own tile says the same, and his page shows no error for it.
    expect(
      await dad.page
        .getByTestId('local-tile')
        .getByTestId('tile-microphone')
        .getAttribute('data-state'),
    ).toBe('paused');
    // Lee's microphone stays off by her choice during the reflection.
    expect(await leeOnDad.getAttribute('data-state')).toBe('muted');
    expect((await alerts(dad.page)).join(' ')).not.toContain(MEDIA_FAILED);
    expect(blocking(await axeFindings(lee.page))).toEqual([]);
    expect(blocking(await axeFindings(dad.page))).toEqual([]);
  }, 120_000);

  it('an observer and a network member joining during the reflection enter without any media error', async () => {
    const { admin, meetingId } = meeting;
    // The reflection Lee started above (started here if that test did not get so far).
    if ((await lee.page.getByTestId('mode-banner').getAttribute('data-mode')) !== 'reflecting') {
      await admin.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'reflecting' });
    }
    // A trainee from the organisation, outside the core team: an observer by their own link.
    const staff = await admin.call<{ id: string }>('POST', '/api/staff', {
      displayName: 'Student Sol',
      email: `sol-${Date.now()}@example.test`,
      role: 'clinician',
      password: 'correct horse battery staple',
    });
    const invite = await admin.call<{ token: string; invite: { role: string } }>(
      'POST',
      `/api/meetings/${meetingId}/invites`,
      { staffId: staff.id, role: 'observer' },
    );
    expect(invite.invite.role).toBe('observer');

    const aunt = await people.guest(dadBrowser, 'Aunt Kim');
    const sol = await people.open(leeBrowser, null, '/');
    await sol.page.goto(`${stack.origin}/join/${invite.token}`);
    await sol.page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await sol.page.getByTestId('join-name').fill('Student Sol');
    await sol.page.getByTestId('join-submit').click();
    await sol.page.waitForURL(`${stack.origin}/m/${meetingId}`, { timeout: 15_000 });

    for (const who of [aunt, sol]) {
      await expect.poll(() => who.frames.length, { timeout: 15_000 }).toBeGreaterThan(0);
      await people.admitAndWait(who);
      await who.page.getByTestId('local-tile').waitFor({ timeout: 30_000 });
    }
    // Long enough for any late device error to have shown (the camera is up by now).
    for (const who of [aunt, sol]) {
      await who.page
        .locator('[data-testid="local-tile"][data-video="playing"]')
        .waitFor({ timeout: 60_000 });
    }
    for (const [who, says] of [
      [aunt, 'Microphones are paused during the reflection'],
      [sol, 'Observers listen and do not speak'],
    ] as const) {
      expect(await alerts(who.page)).toEqual([]);
      expect(await who.page.getByTestId('media-status').textContent()).not.toContain(MEDIA_FAILED);
      expect(await who.page.getByTestId('microphone-state').textContent()).toContain(says);
      expect(blocking(await axeFindings(who.page))).toEqual([]);
    }
    await aunt.page.context().close();
    await sol.page.context().close();
  }, 180_000);

  it('Dad asks to respond; once he has spoken after the reflection, Lee no longer sees him waiting', async () => {
    await dad.page.getByTestId('wish-to-respond').click();
    await lee.page
      .getByTestId('wishes')
      .getByTestId('wish')
      .filter({ hasText: 'Dad' })
      .waitFor({ timeout: 20_000 });
    await lee.page.getByTestId('mode-switch').click();

    const order = lee.page.getByTestId('respond-order');
    const dadInOrder = order.getByTestId('wish').filter({ hasText: 'Dad' });
    await dadInOrder.waitFor({ timeout: 20_000 });
    expect(await dadInOrder.getAttribute('data-answered')).toBe('false');

    // Dad turns his microphone on (never turned on for him) and his tone is heard.
    const toggle = dad.page.getByTestId('toggle-microphone');
    await expect.poll(() => toggle.isEnabled(), { timeout: 20_000 }).toBe(true);
    await toggle.click();
    await expect
      .poll(() => dadInOrder.getAttribute('data-answered'), { timeout: 60_000 })
      .toBe('true');
    expect(await dadInOrder.textContent()).toContain('has responded');
    expect(blocking(await axeFindings(lee.page))).toEqual([]);
  }, 120_000);

  it('Ria refuses the microphone but allows the camera: the room says plainly what works, and no error', async () => {
    // Her browser asks for real: the camera is allowed, the microphone is not.
    const riaBrowser = await launchChromium({ permissionsFromContext: true });
    try {
      const context = await riaBrowser.newContext({ permissions: ['camera'] });
      const ria = await context.newPage();
      await people.knock(ria, 'Cousin Ria', 'Cousin Ria');
      const entry = lee.page.getByTestId('lobby-entry').filter({ hasText: 'Cousin Ria' });
      await entry.getByRole('button', { name: /^Admit/ }).click();
      await ria
        .locator('[data-testid="media-status"][data-state="connected"]')
        .waitFor({ timeout: 30_000 });
      await ria
        .locator('[data-testid="local-tile"][data-video="playing"]')
        .waitFor({ timeout: 60_000 });
      const notice = ria.getByTestId('device-notice');
      await notice.waitFor({ timeout: 20_000 });
      const said = (await notice.textContent()) ?? '';
      expect(said).toContain('Your microphone did not start, so others cannot hear you.');
      expect(said).toContain('Your browser is not allowed to use it.');
      expect(said).toContain('Your camera works: others can see you.');
      expect(await alerts(ria)).toEqual([]);
      expect(await ria.getByTestId('media-status').textContent()).not.toContain(MEDIA_FAILED);
      // The others see her, with her microphone off.
      await expect
        .poll(() => micBadge(lee.page, 'Cousin Ria').getAttribute('data-state'), {
          timeout: 20_000,
        })
        .toBe('muted');
      expect(blocking(await axeFindings(ria))).toEqual([]);
    } finally {
      await riaBrowser.close();
    }
  }, 180_000);

  it('at 200% zoom (640×360 CSS px) a knock and its Admit button are in view without scrolling', async () => {
    await lee.page.setViewportSize({ width: 640, height: 360 });
    await lee.page.evaluate(() => window.scrollTo(0, 0));
    const bo = await people.guest(dadBrowser, 'Uncle Bo');
    const admit = lee.page
      .getByTestId('lobby-entry')
      .filter({ hasText: 'Uncle Bo' })
      .getByRole('button', { name: /^Admit/ });
    await admit.waitFor({ timeout: 20_000 });
    expect(await lee.page.evaluate(() => window.scrollY)).toBe(0);
    const box = await admit.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(640);
    expect(box!.y + box!.height).toBeLessThanOrEqual(360);
    expect(blocking(await axeFindings(lee.page))).toEqual([]);

    await admit.click();
    await bo.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
    await bo.page.context().close();
  }, 120_000);
});
