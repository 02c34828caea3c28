// The join heard, with end-to-end encryption on beside off (`pnpm bench join`, issue 15): two
// meetings in one run, each with a facilitator who is a real staff page in Chromium (its fake
// microphone plays a tone), one meeting encrypted (the default, ADR 0035) and one with the
// setting off. Each run a guest page opens its personal link in each meeting, waits in the
// lobby and is admitted; the figure is admit → the guest's page HEARS the facilitator: the
// tone found by an AnalyserNode (smoothing off) on the page's audio element for the
// facilitator. Encrypted frames a page cannot decrypt are dropped, so with encryption on the
// key exchange (device key posted, the facilitator's new media key relayed and switched to) is
// inside the figure. First audio bytes on the guest's peer connection are taken too, to show
// where the time goes. The two meetings alternate which goes first from run to run.
import {
  launchChromium,
  prepareMeeting,
  writeToneWav,
  type ApiClient,
  type Stack,
} from '@polyphony/stack';
import {
  FIRST_AUDIO,
  mediaTicketAt,
  PROBE,
  participantIdOf,
  throttleIfFourG,
  type Page,
} from './join-browser.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** The facilitator's tone (Hz); every page of this browser plays it. */
export const TONE_HZ = 330;

/**
 * A peak this far above the spectrum's median (dB) is a tone heard: the threshold of
 * apps/web/e2e/tone.ts (`HEARD_DB`), whose in-page detector this follows. That one takes the
 * best of eight readings over 0.8 s, too coarse for a latency; this one reads every 10 ms.
 * (The bench is typechecked without the DOM library, so the page's code is a string here.)
 */
export const HEARD_DB = 30;

/**
 * In the page: a reader of the sound the page plays for `identity` (its remote audio element).
 * Each call answers whether it has a peak at `hz` more than `heardDb` above the spectrum's
 * median (false while there is no element or no live track; the element's stream is followed
 * if the page replaces it); `stop()` lets go of it. Shared by HEARS and reflect-e2ee's GONE.
 */
export const TONE_READER = `(identity, hz, heardDb) => {
  let stream = null;
  let source = null;
  let analyser = null;
  let bins = null;
  let context = null;
  const read = async () => {
    const element = document.querySelector('audio[data-testid="remote-audio"][data-identity="' + identity + '"]');
    const now = element?.srcObject;
    if (!(now instanceof MediaStream) || !now.getAudioTracks().some((t) => t.readyState === 'live')) return false;
    if (element.paused || element.muted) return false;
    if (now !== stream) {
      source?.disconnect();
      stream = now;
      context = (window.__toneContext ??= new AudioContext());
      await context.resume();
      source = context.createMediaStreamSource(stream);
      analyser = context.createAnalyser();
      analyser.fftSize = 4096;
      analyser.smoothingTimeConstant = 0;
      source.connect(analyser);
      bins = new Float32Array(analyser.frequencyBinCount);
    }
    analyser.getFloatFrequencyData(bins);
    const finite = Array.from(bins, (v) => (Number.isFinite(v) ? v : -200));
    const sorted = [...finite].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const at = Math.round(hz / (context.sampleRate / analyser.fftSize));
    return Math.max(...finite.slice(at - 2, at + 3)) - median > heardDb;
  };
  read.stop = () => source?.disconnect();
  return read;
}`;

/** In the page: resolves with Date.now() when the tone is heard (TONE_READER); null after `timeoutMs`. */
export const HEARS = `({ identity, hz, heardDb, timeoutMs }) => new Promise((resolve) => {
  const deadline = Date.now() + timeoutMs;
  const read = (${TONE_READER})(identity, hz, heardDb);
  const tick = async () => {
    if (Date.now() > deadline) {
      read.stop();
      return resolve(null);
    }
    if (await read()) {
      read.stop();
      return resolve(Date.now());
    }
    setTimeout(tick, 10);
  };
  tick();
})`;

/** How long a guest page may take to hear the facilitator before the run fails. */
const HEAR_TIMEOUT_MS = 60_000;

export interface E2eeJoinResult {
  /** Admit → the guest's page hears the facilitator, encryption on, ms. */
  readonly on: number[];
  /** The same, encryption off, ms. */
  readonly off: number[];
  /**
   * Where the time goes, per meeting (`on`, `off`), each from the admit, ms: the page's live
   * channel hands it a media ticket; its peer connection is made; it posts its device key
   * (encryption on only); the facilitator's audio track is offered to it (the peer
   * connection's `track` event); that connection receives the
   * facilitator's first audio bytes (encrypted or not); the page hears the tone.
   */
  readonly phases: Record<'on' | 'off', Phases>;
}

export interface Phases {
  readonly ticket: number[];
  readonly peer: number[];
  readonly deviceKey: number[];
  readonly facilitatorKey: number[];
  readonly track: number[];
  readonly bytes: number[];
}

interface JoinTimes {
  readonly ticket: number;
  readonly peer: number;
  /** The page posts its device key (encryption on only; NaN with it off). */
  readonly deviceKey: number;
  /**
   * The facilitator's media key first set in the page's key ring (livekit-client's log line
   * for it; encryption on only, NaN with it off).
   */
  readonly facilitatorKey: number;
  /**
   * The first remote participant's audio track offered to a peer connection made after the
   * admit (its stream named `participant|track` by LiveKit; not the empty transceivers LiveKit's
   * first offer to a new connection holds, which the bench took for it until 2026-12-05).
   */
  readonly track: number;
  readonly bytes: number;
  readonly heard: number;
}

interface BenchMeeting {
  readonly encrypted: boolean;
  readonly meetingId: string;
  readonly guestTokens: { token: string; name: string }[];
  /** The facilitator's LiveKit identity (as the guest's audio element names it). */
  facilitatorIdentity: string;
}

export async function measureE2eeJoin(
  stack: Stack,
  o: { runs: number; warmup: number; admin?: ApiClient },
): Promise<E2eeJoinResult> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const browser = await launchChromium({ audioFile: writeToneWav({ frequency: TONE_HZ }) });
    cleanups.push(() => browser.close());
    const members = Array.from({ length: o.runs + o.warmup }, (_, i) => ({
      name: `Relative ${i}`,
      relationship: 'family',
    }));
    let admin = o.admin;
    const meetings: BenchMeeting[] = [];
    for (const encrypted of [true, false]) {
      const prepared = await prepareMeeting(stack.signal.url, stack.origin, members, admin);
      admin = prepared.admin;
      // Encryption is on by default; the other meeting turns it off, as a facilitator would.
      if (!encrypted) {
        // Settings are the facilitator's, once in the meeting (their page joins it again below).
        await admin.call('POST', `/api/meetings/${prepared.meetingId}/participants/me`, {});
        await admin.call('POST', `/api/meetings/${prepared.meetingId}/settings`, {
          endToEndEncrypted: false,
        });
      }
      meetings.push({
        encrypted,
        meetingId: prepared.meetingId,
        guestTokens: prepared.links
          .filter((l) => l.memberId !== null)
          .map((l) => ({ token: l.token, name: l.name })),
        facilitatorIdentity: '',
      });
    }
    const staff = admin!;
    for (const m of meetings) {
      const page = await openFacilitator(stack, browser, staff, m.meetingId);
      cleanups.push(() => page.context().close());
      m.facilitatorIdentity =
        (await page.getByTestId('local-tile').getAttribute('data-identity', { timeout: 60_000 })) ??
        '';
      if (!m.facilitatorIdentity) throw new Error('the facilitator page shows no identity');
    }

    const phases = (): Phases => ({
      ticket: [],
      peer: [],
      deviceKey: [],
      facilitatorKey: [],
      track: [],
      bytes: [],
    });
    const result: E2eeJoinResult = { on: [], off: [], phases: { on: phases(), off: phases() } };
    for (let i = 0; i < o.runs + o.warmup; i++) {
      const order = i % 2 === 0 ? meetings : [...meetings].reverse();
      for (const m of order) {
        const times = await joinOnce(stack, browser, staff, m, i);
        if (i < o.warmup) continue;
        const key = m.encrypted ? 'on' : 'off';
        result[key].push(times.heard);
        result.phases[key].ticket.push(times.ticket);
        result.phases[key].peer.push(times.peer);
        if (m.encrypted) {
          result.phases[key].deviceKey.push(times.deviceKey);
          result.phases[key].facilitatorKey.push(times.facilitatorKey);
        }
        result.phases[key].track.push(times.track);
        result.phases[key].bytes.push(times.bytes);
      }
    }
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

/** The facilitator enters as staff do: the staff meeting page, then "Join the meeting". */
export async function openFacilitator(
  stack: Stack,
  browser: Browser,
  admin: ApiClient,
  meetingId: string,
): Promise<Page> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addCookies(
    [...admin.cookies].map(([name, value]) => ({ name, value, url: stack.origin })),
  );
  await context.addInitScript(noiseOff, `pp_noise:${meetingId}`);
  const page = await context.newPage();
  await page.goto(`${stack.origin}/staff/meetings/${meetingId}`);
  await page.getByRole('button', { name: 'Join the meeting' }).click();
  await page.getByTestId('in-room').waitFor({ timeout: 60_000 });
  await page
    .locator('[data-testid="media-status"][data-state="connected"]')
    .waitFor({ timeout: 60_000 });
  return page;
}

/** One guest of `m`: opens their link, knocks, is admitted; the times from the admit, ms. */
async function joinOnce(
  stack: Stack,
  browser: Browser,
  admin: ApiClient,
  m: BenchMeeting,
  i: number,
): Promise<JoinTimes> {
  const link = m.guestTokens[i]!;
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    await context.addInitScript(PROBE);
    await context.addInitScript(noiseOff, `pp_noise:${m.meetingId}`);
    const page = await context.newPage();
    await throttleIfFourG(page);
    const knownAs = participantIdOf(page);
    const ticketAt = mediaTicketAt(page);
    let deviceKeyAt = NaN;
    let facilitatorKeyAt = NaN;
    page.on('console', (message) => {
      if (
        Number.isNaN(facilitatorKeyAt) &&
        message.text().includes(`set participant sender key ${m.facilitatorIdentity} `)
      ) {
        facilitatorKeyAt = Date.now();
      }
    });
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/e2ee/device-key')) {
        deviceKeyAt = Number.isNaN(deviceKeyAt) ? Date.now() : deviceKeyAt;
      }
    });
    await page.goto(`${stack.origin}/join/${link.token}`);
    await page.getByTestId('join-name').fill(link.name);
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${stack.origin}/m/${m.meetingId}`, { timeout: 60_000 });
    const participantId = await knownAs;

    const t0 = Date.now();
    const bytes = page.evaluate(`(${FIRST_AUDIO})(${t0})`) as Promise<number>;
    const heard = page.evaluate(
      `(${HEARS})(${JSON.stringify({
        identity: m.facilitatorIdentity,
        hz: TONE_HZ,
        heardDb: HEARD_DB,
        timeoutMs: HEAR_TIMEOUT_MS,
      })})`,
    ) as Promise<number | null>;
    await admin.call('POST', `/api/meetings/${m.meetingId}/participants/${participantId}/admit`);
    const heardAt = await heard;
    if (heardAt === null) {
      throw new Error(
        `a guest page did not hear the facilitator within ${HEAR_TIMEOUT_MS} ms ` +
          `(encryption ${m.encrypted ? 'on' : 'off'}, run ${i})`,
      );
    }
    const peerAt = (await page.evaluate(
      `Math.min(...window.__pcs.map((p) => p.at).filter((at) => at >= ${t0}))`,
    )) as number;
    const trackAt = (await page.evaluate(
      `Math.min(...window.__tracks.filter((t) => t.kind === 'audio' && t.stream.includes('|') && t.at >= ${t0}).map((t) => t.at))`,
    )) as number;
    return {
      ticket: (await ticketAt) - t0,
      peer: peerAt - t0,
      deviceKey: deviceKeyAt - t0,
      facilitatorKey: facilitatorKeyAt - t0,
      track: trackAt - t0,
      bytes: (await bytes) - t0,
      heard: heardAt - t0,
    };
  } finally {
    await context.close();
    // The guest's leave makes the encrypted meeting's facilitator rotate its key (at most once
    // a second, switching 1 s after sending): let that settle before the next guest knocks, in
    // both meetings alike.
    await new Promise((r) => setTimeout(r, 2_500));
  }
}

/** Init script: the room's noise suppression off (the facilitator's "voice" is a steady tone). */
export function noiseOff(key: string): void {
  try {
    sessionStorage.setItem(key, 'off');
  } catch {
    // about:blank has no storage and no room
  }
}
