import type { Browser, Page } from 'playwright-core';
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
import { MeetingPages, openPanel, sleep, waitFor, type RoomPage } from './meeting-pages.ts';
import { audioBytesFrom } from './room-probe.ts';

// The interpreter (issue 16) in real Chromium against the real web server, signal service and
// livekit-server. Layla interprets into Arabic for Sam's family: let in with Sam's consent, she
// keeps her microphone through a reflection, so Sam hears the reflection through her while
// Dad's microphone is taken away by the SFU. Sound is told apart by sender at Sam's page.

describe('an interpreter carries the reflection to the family', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let sam: RoomPage;
  let dad: RoomPage;
  let layla: RoomPage;

  const sidOf = async (participantId: string): Promise<string> => {
    const member = (await listParticipants(stack.livekit, meeting.meetingId)).find(
      (m) => participantOf(m.identity) === participantId,
    );
    if (!member) throw new Error(`${participantId} is not in LiveKit`);
    return member.sid;
  };
  /**
   * Bytes `listener` received from `speaker` grow by more than 1 kB within `ms`. A "yes" comes
   * as soon as they do, so the default wait is a loaded box's (a full run once saw no growth in
   * 5 s at load 20); "no" is asked with a short `ms`. A count that falls (a new peer connection
   * counts from zero) is counted from again.
   */
  const hears = async (listener: Page, speakerId: string, ms = 30_000): Promise<boolean> => {
    const sid = await sidOf(speakerId);
    let base = await audioBytesFrom(listener, sid);
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await sleep(200);
      const now = await audioBytesFrom(listener, sid);
      if (now > base + 1000) return true;
      if (now < base) base = now;
    }
    return false;
  };
  /** The centre person says yes to whoever is asked about on their page. */
  const samConsents = async () => {
    await sam.page.getByTestId('consent-prompt').waitFor({ timeout: 90_000 });
    await sam.page.getByTestId('consent-yes').click();
  };
  const connected = (guest: RoomPage) =>
    guest.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 90_000 });
  /**
   * As `MeetingPages.guest`, with the generous waits a box shared with other test runs needs
   * (several helpers' browsers at once: a page may take tens of seconds to render).
   */
  const guest = async (name: string): Promise<RoomPage> => {
    const opened = await people.open(browser, null, '/');
    const link = people.link(name);
    await opened.page.goto(`${stack.origin}/join/${link.token}`);
    await opened.page.getByTestId('join-form').waitFor({ timeout: 90_000 });
    await opened.page.getByTestId('join-name').fill(name);
    await opened.page.getByTestId('join-submit').click();
    await opened.page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 90_000 });
    await waitFor(() => opened.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    return opened;
  };
  const rosterRole = (page: Page, participantId: string) =>
    page
      .locator(`[data-testid="roster-entry"][data-participant-id="${participantId}"]`)
      .getByTestId('roster-role')
      .textContent({ timeout: 10_000 });

  beforeAll(async () => {
    stack = await startStack({ web: true });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: '', isCentre: true },
      { name: 'Dad', relationship: 'father' },
    ]);
    // Layla, from the interpreting agency, is added by name and given an interpreter's link.
    const { admin, networkId, meetingId } = meeting;
    const member = await admin.call<{ id: string }>('POST', `/api/networks/${networkId}/members`, {
      name: 'Layla',
      relationship: 'interpreter',
      isCentre: false,
    });
    const link = await admin.call<{
      invite: { name: string; role: string; memberId: string | null; language: string | null };
      token: string;
      url: string;
    }>('POST', `/api/meetings/${meetingId}/invites`, {
      memberId: member.id,
      role: 'interpreter',
      language: 'ar',
    });
    expect(link.invite).toMatchObject({ role: 'interpreter', language: 'ar' });
    meeting = {
      ...meeting,
      links: [
        ...meeting.links,
        {
          name: link.invite.name,
          role: link.invite.role,
          memberId: link.invite.memberId,
          staffId: null,
          token: link.token,
          url: link.url,
        },
      ],
    };
    people = new MeetingPages(stack, meeting);
    // One browser, a context per person; every fake microphone plays the same tone, and the
    // bytes are told apart by sender.
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    // The facilitator's meeting page lists Layla's link with its language, then Lee joins.
    lee = await people.open(browser, meeting.admin.cookies, `/staff/meetings/${meetingId}`);
    const laylaRow = lee.page.getByTestId('invite-person').filter({ hasText: 'Layla' });
    await laylaRow.waitFor({ timeout: 90_000 });
    expect(await laylaRow.textContent()).toContain('Interpreter — Arabic');
    await lee.page.getByRole('button', { name: 'Join the meeting' }).click();
    await lee.page.getByTestId('in-room').waitFor({ timeout: 90_000 });
    sam = await guest('Sam');
    await people.admit(sam.participantId());
    await connected(sam);

    dad = await guest('Dad');
    await people.admit(dad.participantId());
    await samConsents();
    await connected(dad);

    layla = await guest('Layla');
    await people.admit(layla.participantId());
    // The facilitator's key alone leaves her waiting: the centre person must agree.
    await sleep(1000);
    expect(
      await layla.page.locator('[data-testid="media-status"][data-state="connected"]').count(),
    ).toBe(0);
    await samConsents();
    await connected(layla);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('every roster names the language, in the page’s language', async () => {
    const laylaId = layla.participantId();
    for (const page of [lee.page, sam.page, dad.page]) {
      await waitFor(
        async () => (await rosterRole(page, laylaId)) === 'Interpreter — Arabic',
        15_000,
        'the roster names the language',
      );
    }
    expect(await rosterRole(lee.page, dad.participantId())).toBe('Network');
    // Her own page says so too.
    expect(
      await layla.page
        .locator('[data-testid="roster-entry"]')
        .first()
        .getByTestId('roster-role')
        .textContent(),
    ).toBe('Interpreter — Arabic');
  }, 60_000);

  it('the voices view lists the interpreter on her own line, not among the network', async () => {
    await openPanel(lee.page, 'voices');
    const voices = lee.page.getByTestId('voices');
    await voices.waitFor({ timeout: 10_000 });
    await waitFor(
      async () =>
        ((await voices.getByTestId('voices-interpreters').textContent()) ?? '').includes('Layla'),
      15_000,
      'the interpreters line',
    );
    // Everyone's tone keeps LiveKit's speaker detection busy: once someone is heard, the
    // per-person list appears, and Layla is not in it; nor is she ever "not yet heard".
    await waitFor(
      async () => (await voices.getByTestId('voices-person').count()) > 0,
      30_000,
      'someone heard',
    );
    const listed = await voices.getByTestId('voices-person').allTextContents();
    expect(listed.some((t) => t.includes('Layla'))).toBe(false);
    expect(listed.some((t) => t.includes('Dad'))).toBe(true);
    expect(await voices.getByTestId('voices-not-yet-heard').textContent()).not.toContain('Layla');
  }, 60_000);

  it('in a reflection Sam still hears Layla, and no longer hears Dad', async () => {
    const laylaId = layla.participantId();
    const dadId = dad.participantId();
    // Layla's page publishes once her seat is granted after Sam's consent. In full runs on the
    // 2-core box that has once taken over a minute (2026-12-05, not yet explained): waited for
    // here and printed, so that the routing claims below are not failed by it.
    const waitedFrom = Date.now();
    await waitFor(
      async () =>
        (await listParticipants(stack.livekit, meeting.meetingId)).some(
          (m) => participantOf(m.identity) === laylaId && m.sources.includes('MICROPHONE'),
        ),
      120_000,
      'Layla’s microphone published',
    );
    console.info(
      `interpreter: Layla's microphone published ${Date.now() - waitedFrom} ms into the test`,
    );
    expect(await hears(sam.page, laylaId), 'Sam hears Layla in dialogue').toBe(true);
    expect(await hears(sam.page, dadId), 'Sam hears Dad in dialogue').toBe(true);

    const clickedAt = Date.now();
    await lee.page.getByTestId('mode-switch').click();
    await waitFor(
      async () =>
        (await sam.page.getByTestId('mode-banner').getAttribute('data-mode')) === 'reflecting',
      20_000,
      'the reflection on Sam’s page',
    );
    // Dad's sound stops reaching Sam (how fast is the benchmark's business, not this test's).
    const dadSid = await sidOf(dadId);
    let held = await audioBytesFrom(sam.page, dadSid);
    await waitFor(
      async () => {
        await sleep(1500);
        const now = await audioBytesFrom(sam.page, dadSid);
        const still = now <= held;
        held = now;
        return still;
      },
      30_000,
      'Dad no longer reaching Sam',
    );
    console.info(`interpreter: Dad's sound stopped reaching Sam by ${Date.now() - clickedAt} ms`);
    expect(await hears(sam.page, dadId, 3000), 'Sam hears Dad in the reflection').toBe(false);
    expect(await hears(sam.page, laylaId), 'Sam hears Layla in the reflection').toBe(true);
    expect(await hears(dad.page, laylaId), 'Dad hears Layla in the reflection').toBe(true);
    // On Sam's screen Layla's tile sits with the team's, Dad's in the network's strip.
    const tileIn = (section: string, participantId: string) =>
      sam.page
        .locator(
          `[data-testid="${section}"] [data-testid="remote-tile"][data-identity^="${participantId}."]`,
        )
        .count();
    expect(await tileIn('reflecting-team', laylaId)).toBe(1);
    expect(await tileIn('network-strip', laylaId)).toBe(0);
    expect(await tileIn('network-strip', dadId)).toBe(1);
    // Layla's own page keeps her microphone: the toggle still works.
    expect(await layla.page.getByTestId('mode-banner').getAttribute('data-mode')).toBe(
      'reflecting',
    );
    expect(await layla.page.getByTestId('toggle-microphone').isEnabled()).toBe(true);
  }, 300_000);
});
