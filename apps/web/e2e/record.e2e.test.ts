import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  joinByLink,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type GuestSession,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { MeetingPages, openPanel } from './meeting-pages.ts';

// Transparency and polyphony (issue 7): the shared record written live in front of everyone,
// the timeline, the facilitators' voices view, and the record read afterwards through one's
// own link. Real web server, signal service, livekit-server and Chromium; the facilitator's
// fake microphone plays a tone, everyone else's is silent.

describe('the shared record, the timeline and the voices view', () => {
  let stack: Stack;
  let toneBrowser: Browser;
  let silentBrowser: Browser;
  let meeting: PreparedMeeting;
  let lee: Page;
  let sam: Page;
  let dad: Page;
  let gran: GuestSession;

  let pages: MeetingPages;
  const link = (name: string) => pages.link(name);
  const openPage = async (
    browser: Browser,
    cookies: Map<string, string> | null,
    path: string,
  ): Promise<Page> => (await pages.open(browser, cookies, path)).page;

  /** A guest's own path: link, pre-join page, lobby; the facilitator lets them in. */
  async function joinAndAdmit(name: string): Promise<Page> {
    const page = await openPage(silentBrowser, null, `/join/${link(name).token}`);
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 15_000 });
    const entry = lee.locator('[data-testid="lobby-entry"]', { hasText: name });
    await entry.getByTestId('lobby-admit').click();
    if (name !== 'Sam') {
      // The second key: the person at the centre agrees.
      await sam.getByTestId('consent-prompt').waitFor({ timeout: 15_000 });
      await sam.getByTestId('consent-yes').click();
    }
    await page.getByTestId('in-room').waitFor({ timeout: 20_000 });
    return page;
  }

  /** A POST from the page itself, with its own session cookie and CSRF token. */
  const postFromPage = (page: Page, path: string, body: unknown) =>
    page.evaluate(
      async ({ path, body, meetingId }) => {
        const csrf = sessionStorage.getItem(`pp_csrf:${meetingId}`) ?? '';
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as unknown };
      },
      { path, body, meetingId: meeting.meetingId },
    );
  const getFromPage = (page: Page, path: string) =>
    page.evaluate(async (path) => {
      const res = await fetch(path);
      return { status: res.status, body: (await res.json()) as unknown };
    }, path);

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Dad', relationship: 'father' },
      { name: 'Gran', relationship: 'grandmother' },
    ]);
    pages = new MeetingPages(stack, meeting);
    [toneBrowser, silentBrowser] = await Promise.all([
      launchChromium({ audioFile: writeToneWav({ frequency: 440, seconds: 30 }) }),
      launchChromium({ audioFile: writeToneWav({ frequency: 440, silent: true }) }),
    ]);
    await meeting.admin.call('POST', `/api/meetings/${meeting.meetingId}/participants/me`, {});
    lee = await openPage(toneBrowser, meeting.admin.cookies, `/m/${meeting.meetingId}`);
    await lee.getByTestId('in-room').waitFor({ timeout: 20_000 });
    sam = await joinAndAdmit('Sam');
    dad = await joinAndAdmit('Dad');
    gran = await joinByLink(stack.origin, stack.origin, link('Gran').token, 'Gran');
  }, 180_000);

  afterAll(async () => {
    await toneBrowser?.close();
    await silentBrowser?.close();
    await stack?.stop();
  });

  it('the facilitator sees a gentle note with only one of the team, and the voices view', async () => {
    await expect
      .poll(() => lee.getByTestId('team-note').textContent(), { timeout: 10_000 })
      .toContain('Only one member of the team');
    expect(await sam.getByTestId('team-note').count()).toBe(0);
    expect(await sam.getByTestId('voices').count()).toBe(0);
    expect(await dad.getByTestId('voices').count()).toBe(0);
    // The facilitator's tone is heard; Sam and Dad, on silent microphones, are not yet.
    const heard = lee.getByTestId('voices-not-yet-heard');
    await expect.poll(() => lee.getByTestId('voices-split').count(), { timeout: 30_000 }).toBe(1);
    const text = (await heard.textContent()) ?? '';
    expect(text).toContain('Not yet heard');
    expect(text).toContain('Sam');
    expect(text).toContain('Dad');
    expect(text).not.toContain('Dr Lee');
  }, 60_000);

  it('an entry the facilitator writes appears on everyone’s page, with the timeline', async () => {
    await openPanel(lee, 'record');
    await lee.getByTestId('record-kind-next_step').check();
    await lee.getByTestId('record-text').fill('Ask the GP about sleep');
    await lee.getByTestId('record-who').fill('Dr Lee');
    await lee.getByTestId('record-when').fill('by Friday');
    await lee.getByTestId('record-add').click();
    for (const page of [lee, sam, dad]) {
      await expect
        .poll(() => page.getByTestId('record-entries').textContent(), { timeout: 10_000 })
        .toContain('Ask the GP about sleep');
      await expect
        .poll(() => page.getByTestId('timeline').textContent(), { timeout: 10_000 })
        .toContain('Dr Lee wrote a next step in the record');
    }
    expect(await dad.getByTestId('record-entries').textContent()).toContain('Who: Dr Lee');
    // Only facilitators get the form.
    expect(await dad.getByTestId('record-form').count()).toBe(0);
    expect(await sam.getByTestId('record-form').count()).toBe(0);

    // A correction is a new entry that says what it corrects.
    await lee.getByRole('button', { name: 'Correct this' }).first().click();
    await lee.getByTestId('record-text').fill('Ask the GP about sleep and appetite');
    await lee.getByTestId('record-add').click();
    await expect
      .poll(() => dad.getByTestId('record-entries').textContent(), { timeout: 10_000 })
      .toContain('This corrects: “Ask the GP about sleep”');

    // The next meeting's time.
    await lee.getByTestId('record-kind-next_meeting').check();
    await lee.getByTestId('record-meeting-at').fill('2026-03-02T10:00');
    await lee.getByTestId('record-add').click();
    await expect
      .poll(() => sam.getByTestId('record-next-meeting').textContent(), { timeout: 10_000 })
      .toContain('2026');

    expect(blocking(await axeFindings(dad))).toEqual([]);
    expect(blocking(await axeFindings(lee))).toEqual([]);
  }, 60_000);

  it('a network member cannot write in the record: 403 with a code, nothing stored', async () => {
    const path = `/api/meetings/${meeting.meetingId}/record`;
    const before = (await getFromPage(dad, path)).body as { entries: unknown[] };
    const answer = await postFromPage(dad, path, {
      entryId: crypto.randomUUID(),
      kind: 'decision',
      text: 'Written by Dad',
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const after = (await getFromPage(dad, path)).body as { entries: unknown[] };
    expect(after.entries).toEqual(before.entries);
    expect(JSON.stringify(after)).not.toContain('Written by Dad');
  });

  it('after the end, those who attended read the record through their link; others cannot', async () => {
    await lee.getByTestId('end-meeting').click();
    await lee.getByTestId('end-confirm').click();
    await dad.getByTestId('meeting-ended').waitFor({ timeout: 15_000 });
    await dad.getByTestId('record-link').click();
    await dad.waitForURL(`${stack.origin}/m/${meeting.meetingId}/record`);
    await expect
      .poll(() => dad.getByTestId('record-page').textContent(), { timeout: 10_000 })
      .toContain('Ask the GP about sleep and appetite');
    expect(await dad.getByTestId('record-next-meeting').textContent()).toContain('2026');
    expect(blocking(await axeFindings(dad))).toEqual([]);

    // In Finnish, through the language switcher.
    await dad.getByRole('button', { name: 'Suomi' }).click();
    await expect
      .poll(() => dad.locator('h2#record-heading').textContent(), { timeout: 10_000 })
      .toBe('Yhteinen muistio');
    expect(await dad.locator('h1').textContent()).toBe('Tapaamisen muistio');
    expect(blocking(await axeFindings(dad))).toEqual([]);

    // Never let in: refused with a code.
    const refused = await gran.client
      .call('GET', `/api/meetings/${meeting.meetingId}/record`)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: 'NOT_ADMITTED' });

    // A revoked link: Sam's way to the record closes.
    const detail = await meeting.admin.call<{ invites: { id: string; memberId: string | null }[] }>(
      'GET',
      `/api/meetings/${meeting.meetingId}`,
    );
    const samInvite = detail.invites.find((i) => i.memberId === link('Sam').memberId);
    await meeting.admin.call(
      'DELETE',
      `/api/meetings/${meeting.meetingId}/invites/${samInvite!.id}`,
    );
    await sam.goto(`${stack.origin}/m/${meeting.meetingId}/record`);
    const error = sam.getByTestId('record-page-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.getAttribute('data-code')).toBe('LINK_REVOKED');
    expect(await sam.getByTestId('record-entries').count()).toBe(0);
  }, 60_000);
});
