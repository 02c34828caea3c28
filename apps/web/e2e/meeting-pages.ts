import type { Browser, Page } from 'playwright-core';
import type { PreparedMeeting, Stack } from '@polyphony/stack';
import {
  CAPTURE_LIVEKIT_ROOMS,
  CAPTURE_TRACK_SENDERS,
  recordLiveFrames,
  type SeenFrame,
} from './room-probe.ts';

/** A page in the meeting with every live-channel frame it received. */
export interface RoomPage {
  readonly page: Page;
  readonly frames: SeenFrame[];
  /** This person's participant id (from their first snapshot). */
  participantId(): string;
}

export interface OpenOptions {
  /** Also keep the page's LiveKit Room reachable (`window.__rooms`), as a modified client. */
  readonly modified?: boolean;
  /**
   * Leave the room's noise suppression at its default (on for guests). Off by default here:
   * the tests' fake microphones play steady tones, which RNNoise rightly takes for noise.
   */
  readonly noiseSuppression?: boolean;
}

/** Opens pages of one meeting the way people do: staff by session, guests by their link. */
export class MeetingPages {
  constructor(
    readonly stack: Stack,
    readonly meeting: PreparedMeeting,
  ) {}

  link(name: string) {
    const found = this.meeting.links.find((l) => l.name === name);
    if (!found) throw new Error(`no link for ${name}`);
    return found;
  }

  async open(
    browser: Browser,
    cookies: ReadonlyMap<string, string> | null,
    path: string,
    opts: OpenOptions = {},
  ): Promise<RoomPage> {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    if (cookies) {
      await context.addCookies(
        [...cookies].map(([name, value]) => ({ name, value, url: this.stack.origin })),
      );
    }
    await context.addInitScript(CAPTURE_TRACK_SENDERS);
    if (!opts.noiseSuppression) {
      await context.addInitScript((key) => {
        try {
          sessionStorage.setItem(key, 'off');
        } catch {
          // A document without storage (about:blank) has no room either.
        }
      }, `pp_noise:${this.meeting.meetingId}`);
    }
    if (opts.modified) await context.addInitScript(CAPTURE_LIVEKIT_ROOMS);
    const page = await context.newPage();
    const frames = recordLiveFrames(page);
    await page.goto(`${this.stack.origin}${path}`);
    return {
      page,
      frames,
      participantId() {
        const snapshot = frames.find((f) => f.message.type === 'snapshot' && f.message.me);
        if (!snapshot) throw new Error('no snapshot yet');
        return snapshot.message.me!.participantId;
      },
    };
  }

  /**
   * The facilitator (the signed-in admin) enters as staff do: the staff meeting page, then
   * "Join the meeting", which opens the room.
   */
  async facilitator(browser: Browser, opts: OpenOptions = {}): Promise<RoomPage> {
    const { admin, meetingId } = this.meeting;
    const lee = await this.open(browser, admin.cookies, `/staff/meetings/${meetingId}`, opts);
    await lee.page.getByRole('button', { name: 'Join the meeting' }).click();
    await lee.page.getByTestId('lobby-panel').waitFor({ timeout: 20_000 });
    return lee;
  }

  /** Opens the personal link, fills the pre-join page and knocks: the page lands in the lobby. */
  async knock(page: Page, name: string, displayName: string): Promise<void> {
    await page.goto(`${this.stack.origin}/join/${this.link(name).token}`);
    await page.getByTestId('join-form').waitFor({ timeout: 15_000 });
    await page.getByTestId('join-name').fill(displayName);
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${this.stack.origin}/m/${this.meeting.meetingId}`, { timeout: 15_000 });
    // The pre-join page is gone: one page on screen, not the room appended under it.
    const left = await page.evaluate(() => ({
      mains: document.querySelectorAll('main').length,
      joinForms: document.querySelectorAll('[data-testid="join-form"]').length,
    }));
    if (left.mains !== 1 || left.joinForms !== 0) {
      throw new Error(
        `after knocking the page still shows the pre-join page: ${JSON.stringify(left)}`,
      );
    }
  }

  async guest(browser: Browser, name: string, opts: OpenOptions = {}): Promise<RoomPage> {
    const opened = await this.open(browser, null, '/', opts);
    await this.knock(opened.page, name, name);
    await waitFor(() => opened.frames.some((f) => f.message.type === 'snapshot'), 15_000);
    return opened;
  }

  /** The facilitator lets someone in (through the API, as the lobby panel's button does). */
  admit(participantId: string): Promise<unknown> {
    const { admin, meetingId } = this.meeting;
    return admin.call('POST', `/api/meetings/${meetingId}/participants/${participantId}/admit`, {});
  }

  remove(participantId: string): Promise<unknown> {
    const { admin, meetingId } = this.meeting;
    return admin.call(
      'POST',
      `/api/meetings/${meetingId}/participants/${participantId}/remove`,
      {},
    );
  }

  /** Admits and waits until the page is connected to media. */
  async admitAndWait(guest: RoomPage): Promise<void> {
    await this.admit(guest.participantId());
    await guest.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms; throws after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
