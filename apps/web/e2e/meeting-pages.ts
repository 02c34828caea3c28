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
  /** The page's size (a phone: 390×844), and whether it takes touch (taps). */
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly hasTouch?: boolean;
  /** An end-to-end encrypted meeting page (`pp_e2ee=on` in the tab's storage, from the start). */
  readonly encrypted?: boolean;
}

const E2EE_ON = () => {
  try {
    sessionStorage.setItem('pp_e2ee', 'on');
  } catch {
    // about:blank has no storage and no room.
  }
};

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
    const context = await browser.newContext({
      permissions: ['camera', 'microphone'],
      ...(opts.viewport ? { viewport: opts.viewport } : {}),
      ...(opts.hasTouch ? { hasTouch: true } : {}),
    });
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
    if (opts.encrypted) await context.addInitScript(E2EE_ON);
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
    await lee.page.getByTestId('in-room').waitFor({ timeout: 20_000 });
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

/** The page's own LiveKit identity, from its local tile (there once media has connected). */
export async function localIdentity(page: Page, timeout = 90_000): Promise<string> {
  return (await page.getByTestId('local-tile').getAttribute('data-identity', { timeout })) ?? '';
}

/**
 * Polls `check` every 50 ms; throws after `timeoutMs`, with what `explain` then says of the
 * state (for a failure seen only in CI).
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
  explain?: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = explain ? `; ${await explain()}` : '';
      throw new Error(`${what} not met within ${timeoutMs} ms${detail}`);
    }
    await sleep(50);
  }
}

/** The room's panels (ADR 0033), as `data-panel` names them. */
export type PanelName = 'people' | 'lobby' | 'voices' | 'record' | 'timeline' | 'mine';

/**
 * Opens a panel of the room the way a person does: its button in the bar, or first "More" when
 * a narrow screen keeps it there. Returns the open panel. Already open: left as it is.
 */
export async function openPanel(page: Page, name: PanelName, timeout = 20_000) {
  const panel = page.getByTestId(`panel-${name}`);
  if (await panel.isVisible()) return panel;
  const button = page.locator(`[data-testid="panel-button"][data-panel="${name}"]`);
  await page.getByTestId('control-bar').waitFor({ timeout });
  if (!(await button.isVisible())) await page.getByTestId('more-button').click();
  await button.click();
  await panel.waitFor({ timeout });
  return panel;
}

/** Closes the open panel by its close button. */
export async function closePanel(page: Page, name: PanelName): Promise<void> {
  const panel = page.getByTestId(`panel-${name}`);
  if (!(await panel.isVisible())) return;
  await panel.getByTestId('panel-close').click();
  await panel.waitFor({ state: 'hidden' });
}

/**
 * A control of the room's bar by its test id, shown first: a narrow screen keeps the extras
 * (mode switch, screen share, audio only…) behind "More".
 */
export async function barControl(page: Page, testid: string) {
  const control = page.getByTestId(testid);
  await page.getByTestId('control-bar').waitFor({ timeout: 20_000 });
  if (!(await control.isVisible())) {
    const more = page.getByTestId('more-button');
    if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  }
  await control.waitFor({ timeout: 20_000 });
  return control;
}

/**
 * What a room page shows of its media, for a failure message: its media state, the remote
 * audio elements (identity, playing, paused, ready state) and the tiles on the stage.
 */
export async function describeMedia(page: Page): Promise<string> {
  try {
    return JSON.stringify(
      await page.evaluate(() => ({
        media: document.querySelector('[data-testid="media-status"]')?.getAttribute('data-state'),
        mode: document.querySelector('[data-testid="mode-banner"]')?.getAttribute('data-mode'),
        audio: [...document.querySelectorAll<HTMLAudioElement>('[data-testid="remote-audio"]')].map(
          (el) => ({
            identity: el.getAttribute('data-identity'),
            playing: el.getAttribute('data-playing'),
            paused: el.paused,
            ready: el.readyState,
            tracks: (el.srcObject as MediaStream | null)
              ?.getTracks()
              .map((t) => `${t.kind}:${t.readyState}:${t.muted ? 'muted' : 'live'}`),
          }),
        ),
        tiles: [...document.querySelectorAll('[data-testid="remote-tile"]')].map((el) =>
          el.getAttribute('data-identity'),
        ),
        // End-to-end encryption: the key manager's state (identities only, never keys).
        e2ee: (() => {
          const code = document.querySelector('[data-testid="security-code"]');
          return code
            ? {
                epoch: code.getAttribute('data-key-epoch'),
                sending: code.getAttribute('data-sending-generation'),
                to: code.getAttribute('data-sending-to'),
                keyed: code.getAttribute('data-keyed'),
              }
            : null;
        })(),
        undecryptable: [...document.querySelectorAll('[data-testid="undecryptable"]')].map((el) =>
          el.getAttribute('data-identity'),
        ),
      })),
    );
  } catch (error) {
    return `page not readable: ${String(error)}`;
  }
}
