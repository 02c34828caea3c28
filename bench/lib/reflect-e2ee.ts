// The reflection's cut heard in real pages, with end-to-end encryption on beside off
// (`pnpm bench reflect`, issue 15: "reflect cut unchanged within noise"). rtc-node cannot
// encrypt, so the rtc-node figure of reflect.bench.ts runs with encryption off; this one uses the
// product's own pages in Chromium. Two meetings in one run, one encrypted (the default, ADR
// 0035) and one with the setting off, each with a facilitator who is a real staff page (its fake
// microphone plays a 330 Hz tone) and a network member's page (a 550 Hz tone), both admitted.
// Each switch: click (POST /mode reflecting) → the facilitator's page no longer hears the
// network member: the 550 Hz peak on the page's audio element for them gone (AnalyserNode,
// smoothing off, read every 10 ms), or the element or its track gone. Then back to dialogue;
// the member turns the microphone on again (nobody is unmuted for them), and the next switch
// waits until the member is heard again. The meetings alternate which goes
// first from switch to switch.
import {
  launchChromium,
  listParticipants,
  prepareMeeting,
  writeToneWav,
  type ApiClient,
  type Stack,
} from '@polyphony/stack';
import { participantIdOf } from './join-browser.ts';
import { HEARD_DB, HEARS, noiseOff, openFacilitator, TONE_READER } from './join-e2ee.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

/** The network member's tone (Hz): every page of the guests' browser plays it. */
const MEMBER_HZ = 550;
/** The facilitator's tone (Hz). */
const FACILITATOR_HZ = 330;
/** Consecutive 10 ms readings without the peak that make the sound gone. */
const QUIET_READINGS = 3;

/**
 * In the page: resolves with the Date.now() of the first of `quiet` consecutive readings in which
 * the sound played for `identity` has no peak at `hz` (or its element or live track is gone);
 * null after `timeoutMs`. HEARS turned around, with the same reader.
 */
const GONE = `({ identity, hz, heardDb, quiet, timeoutMs }) => new Promise((resolve) => {
  const deadline = Date.now() + timeoutMs;
  const read = (${TONE_READER})(identity, hz, heardDb);
  let firstQuiet = null;
  let firstElementGone = null;
  let quietCount = 0;
  let modeAt = null;
  const done = (at) => { read.stop(); resolve({ at, elementGoneAt: firstElementGone, modeAt }); };
  const tick = async () => {
    if (Date.now() > deadline) return done(null);
    if (modeAt === null && document.querySelector('[data-testid="mode-banner"]')?.dataset.mode === 'reflecting') modeAt = Date.now();
    const present = document.querySelector('audio[data-testid="remote-audio"][data-identity="' + identity + '"]') !== null;
    const heard = await read();
    const t = Date.now();
    if (heard) {
      firstQuiet = null;
      firstElementGone = null;
      quietCount = 0;
    } else {
      firstQuiet ??= t;
      if (!present) firstElementGone ??= t;
      if (++quietCount >= quiet) return done(firstQuiet);
    }
    setTimeout(tick, 10);
  };
  tick();
})`;

/** In the page: its remote audio elements, for a failure's message. */
const DESCRIBE_AUDIO = `JSON.stringify([...document.querySelectorAll('audio[data-testid="remote-audio"]')].map((a) => ({
  identity: a.dataset.identity,
  playing: a.dataset.playing,
  paused: a.paused,
  muted: a.muted,
  tracks: a.srcObject instanceof MediaStream ? a.srcObject.getAudioTracks().map((t) => t.readyState + (t.muted ? ':muted' : '')) : null,
})))`;

/** How long a page may take to hear (or stop hearing) before the run fails. */
const WAIT_MS = 60_000;

export interface ReflectE2eeResult {
  /** Click → the facilitator's page no longer hears the network member, encryption on, ms. */
  readonly on: number[];
  /** The same, encryption off, ms. */
  readonly off: number[];
  /** Click → POST /mode answered, per meeting, ms. */
  readonly answer: Record<'on' | 'off', number[]>;
  /** Click → the facilitator's page shows the reflection (its mode banner), per meeting, ms. */
  readonly shown: Record<'on' | 'off', number[]>;
  /**
   * Of the cuts, how many came from the page itself taking the member's audio element away (the
   * mode arrived first) rather than from the sound stopping in a still-present element.
   */
  readonly byElement: Record<'on' | 'off', number>;
}

interface PageMeeting {
  readonly encrypted: boolean;
  readonly meetingId: string;
  readonly facilitator: Page;
  readonly member: Page;
  readonly memberIdentity: string;
}

export async function measureReflectE2ee(
  stack: Stack,
  o: { switches: number; warmup: number; admin?: ApiClient },
): Promise<ReflectE2eeResult> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const [teamBrowser, guestBrowser] = await Promise.all([
      launchChromium({ audioFile: writeToneWav({ frequency: FACILITATOR_HZ }) }),
      launchChromium({ audioFile: writeToneWav({ frequency: MEMBER_HZ }) }),
    ]);
    cleanups.push(
      () => teamBrowser.close(),
      () => guestBrowser.close(),
    );
    let admin = o.admin;
    const meetings: PageMeeting[] = [];
    for (const encrypted of [true, false]) {
      const prepared = await prepareMeeting(
        stack.signal.url,
        stack.origin,
        [{ name: 'Relative', relationship: 'family' }],
        admin,
      );
      admin = prepared.admin;
      const { meetingId } = prepared;
      if (!encrypted) {
        await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
        await admin.call('POST', `/api/meetings/${meetingId}/settings`, {
          endToEndEncrypted: false,
        });
      }
      const facilitator = await openFacilitator(stack, teamBrowser, admin, meetingId);
      cleanups.push(() => facilitator.context().close());
      const link = prepared.links.find((l) => l.memberId !== null);
      if (!link) throw new Error('the meeting has no member link');
      const guest = await openGuest(stack, guestBrowser, admin, meetingId, link);
      cleanups.push(() => guest.context().close());
      const memberIdentity =
        (await facilitator
          .locator('audio[data-testid="remote-audio"]')
          .first()
          .getAttribute('data-identity', { timeout: WAIT_MS })) ?? '';
      if (!memberIdentity) throw new Error('the facilitator page plays nobody');
      meetings.push({ encrypted, meetingId, facilitator, member: guest, memberIdentity });
    }
    const staff = admin!;
    const result: ReflectE2eeResult = {
      on: [],
      off: [],
      answer: { on: [], off: [] },
      shown: { on: [], off: [] },
      byElement: { on: 0, off: 0 },
    };
    for (let i = 0; i < o.switches + o.warmup; i++) {
      const order = i % 2 === 0 ? meetings : [...meetings].reverse();
      for (const m of order) {
        const { cut, answer, shown, byElement } = await switchOnce(stack, staff, m, i);
        if (i < o.warmup) continue;
        const key = m.encrypted ? 'on' : 'off';
        result[key].push(cut);
        result.answer[key].push(answer);
        if (shown !== null) result.shown[key].push(shown);
        if (byElement) result.byElement[key]++;
      }
    }
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

/** The network member opens their link, knocks and is admitted; their page, once in. */
async function openGuest(
  stack: Stack,
  browser: Browser,
  admin: ApiClient,
  meetingId: string,
  link: { token: string; name: string },
): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(noiseOff, `pp_noise:${meetingId}`);
  const page = await context.newPage();
  const knownAs = participantIdOf(page);
  await page.goto(`${stack.origin}/join/${link.token}`);
  await page.getByTestId('join-name').fill(link.name);
  await page.getByTestId('join-submit').click();
  await page.waitForURL(`${stack.origin}/m/${meetingId}`, { timeout: WAIT_MS });
  const participantId = await knownAs;
  await admin.call('POST', `/api/meetings/${meetingId}/participants/${participantId}/admit`);
  await page
    .locator('[data-testid="media-status"][data-state="connected"]')
    .waitFor({ timeout: WAIT_MS });
  return page;
}

/** One switch to reflecting and back; click → sound gone and click → answered, ms. */
async function switchOnce(
  stack: Stack,
  admin: ApiClient,
  m: PageMeeting,
  i: number,
): Promise<{ cut: number; answer: number; shown: number | null; byElement: boolean }> {
  const mode = (to: string) =>
    admin.call('POST', `/api/meetings/${m.meetingId}/mode`, { mode: to });
  const what = `encryption ${m.encrypted ? 'on' : 'off'}, switch ${i}`;
  // The member is heard before the switch, so a cut below is the switch's.
  const heard = await m.facilitator.evaluate(
    `(${HEARS})(${JSON.stringify({
      identity: m.memberIdentity,
      hz: MEMBER_HZ,
      heardDb: HEARD_DB,
      timeoutMs: WAIT_MS,
    })})`,
  );
  if (heard === null) {
    throw new Error(
      `the facilitator does not hear the member (${what}); its page: ${await m.facilitator.evaluate(DESCRIBE_AUDIO)}; in LiveKit: ${JSON.stringify(await listParticipants(stack.livekit, m.meetingId))}`,
    );
  }
  const t0 = Date.now();
  const gone = m.facilitator.evaluate(
    `(${GONE})(${JSON.stringify({
      identity: m.memberIdentity,
      hz: MEMBER_HZ,
      heardDb: HEARD_DB,
      quiet: QUIET_READINGS,
      timeoutMs: WAIT_MS,
    })})`,
  ) as Promise<{ at: number; elementGoneAt: number | null; modeAt: number | null } | null>;
  await mode('reflecting');
  const answer = Date.now() - t0;
  const seen = await gone;
  if (seen === null) throw new Error(`the member was still heard in the reflection (${what})`);
  const goneAt = seen.at;
  await mode('dialogue');
  // Nobody is unmuted for them (docs/domain.md): the member turns the microphone on again, as
  // someone who wants to respond does, once the page offers it.
  const toggle = m.member.getByTestId('toggle-microphone');
  await toggle.and(m.member.locator(':enabled')).waitFor({ timeout: WAIT_MS });
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await m.member
    .locator('[data-testid="toggle-microphone"][aria-pressed="true"]')
    .waitFor({ timeout: WAIT_MS });
  // Let the sound settle before the next switch.
  await new Promise((r) => setTimeout(r, 1_000));
  return {
    cut: goneAt - t0,
    answer,
    shown: seen.modeAt === null ? null : seen.modeAt - t0,
    byElement: seen.elementGoneAt === goneAt,
  };
}
