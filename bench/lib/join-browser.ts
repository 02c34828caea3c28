// The join measured in real Chromium (`pnpm bench join`): a facilitator's admit → the guest's
// page receives the facilitator's first audio, through the product's own pages (personal link,
// pre-join, lobby, admission, rightless ticket, seat, grant, explicit subscription), beside a
// bare livekit-client in the same page: connect with a full-grant token → first audio.
// livekit-client under rtc-node debounces its negotiation by 150 ms, a browser by 20 ms
// (ADR 0014), so the browser figure is the one families meet.
import { Room } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import {
  claimSeats,
  connectLive,
  launchChromium,
  prepareMeeting,
  builtWebFile,
  publishTone,
  writeToneWav,
  type ApiClient,
  type Stack,
} from '@polyphony/stack';

/**
 * Init script: records every RTCPeerConnection with the time it was made, keeps livekit-client's
 * Room class reachable (caught when a Room assigns its `localParticipant`), and turns the room's
 * noise suppression off (the facilitator's "voice" is a steady tone).
 */
export const PROBE = `(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.__tracks = [];
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    window.__pcs.push({ pc, at: Date.now() });
    pc.addEventListener('track', (e) => window.__tracks.push({ kind: e.track.kind, stream: e.streams[0]?.id ?? '', at: Date.now() }));
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
  Object.defineProperty(Object.prototype, 'localParticipant', {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, 'localParticipant', { value, writable: true, configurable: true, enumerable: true });
      if (typeof this.connect === 'function' && typeof this.disconnect === 'function') window.__RoomClass ??= this.constructor;
    },
  });
})();`;

/** In the page: resolves with Date.now() when a peer connection made since `since` receives audio. */
export const FIRST_AUDIO = `(since) => new Promise((resolve) => {
  const tick = async () => {
    for (const { pc, at } of window.__pcs) {
      if (at < since || pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      let bytes = 0;
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0; });
      if (bytes > 0) return resolve(Date.now());
    }
    setTimeout(tick, 5);
  };
  tick();
})`;

/** In the page: a bare livekit-client Room joins with a full-grant token; resolves when connected. */
const BARE_CONNECT = `async ({ url, token }) => {
  const room = new window.__RoomClass();
  window.__bare = room;
  await room.connect(url, token);
}`;

/** BENCH_JOIN_NETWORK=4g: the guest pages fetch over Chrome's "Fast 4G" (9 Mbit/s, 170 ms). */
const FOUR_G = process.env.BENCH_JOIN_NETWORK === '4g';
export type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['newPage']>>;

/**
 * With BENCH_JOIN_NETWORK=4g, Chrome DevTools' "Fast 4G" for a guest page's HTTP fetches (WebRTC
 * and the live channel's frames are not throttled by it): what fetching costs a phone.
 */
export async function throttleIfFourG(page: Page): Promise<void> {
  if (!FOUR_G) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 170,
    downloadThroughput: (9_000_000 / 8) * 0.9,
    uploadThroughput: (1_500_000 / 8) * 0.9,
  });
}

export interface BrowserJoinResult {
  /** Bare livekit-client in Chromium: connect → first audio, ms. */
  readonly baseline: number[];
  /** The product in Chromium: admit → the guest's page receives first audio, ms. */
  readonly product: number[];
  /**
   * The same, on alternate runs, with livekit-client's code held back until the admission (as
   * the page fetched it before 2026-12-04, ADR 0012's addendum): the preload's worth, same run.
   */
  readonly held: number[];
  /** Where the product's time goes: admit → ticket on the page → peer connection made → audio. */
  readonly phases: { ticket: number[]; peer: number[]; audio: number[] };
}

export async function measureBrowserJoin(
  stack: Stack,
  o: { runs: number; warmup: number; admin?: ApiClient },
): Promise<BrowserJoinResult> {
  const cleanups: (() => Promise<void>)[] = [];
  const token = (room: string, identity: string, publish: boolean): Promise<string> => {
    const { apiKey, apiSecret } = stack.livekit;
    const at = new AccessToken(apiKey, apiSecret, { identity, ttl: 300 });
    at.addGrant({ roomJoin: true, room, canSubscribe: true, canPublish: publish });
    return at.toJwt();
  };
  try {
    const browser = await launchChromium({ audioFile: writeToneWav({ frequency: 220 }) });
    cleanups.push(() => browser.close());
    const baseSpeaker = new Room();
    await baseSpeaker.connect(stack.livekit.url, await token('bench-baseline', 'speaker', true));
    cleanups.push(await publishTone(baseSpeaker, 440), () => baseSpeaker.disconnect());

    const members = Array.from({ length: 2 * (o.runs + o.warmup) }, (_, i) => ({
      name: `Relative ${i}`,
      relationship: 'family',
    }));
    const { admin, meetingId, links } = await prepareMeeting(
      stack.signal.url,
      stack.origin,
      members,
      o.admin,
    );
    await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
    // The facilitator here is rtc-node, which cannot encrypt end to end (ADR 0035): the meeting
    // runs with its encryption off, as a meeting with such a device would.
    await admin.call('POST', `/api/meetings/${meetingId}/settings`, { endToEndEncrypted: false });
    const staffLive = await connectLive(
      stack.signal.url,
      stack.origin,
      meetingId,
      admin.cookieHeader(),
    );
    cleanups.push(async () => staffLive.close());
    const staffMedia = await staffLive.media;
    const facilitator = new Room();
    await facilitator.connect(stack.livekit.url, staffMedia.token);
    await claimSeats(stack.livekit, meetingId, [
      { identity: staffMedia.identity, live: staffLive },
    ]);
    cleanups.push(await publishTone(facilitator, 330), () => facilitator.disconnect());

    const result: BrowserJoinResult = {
      baseline: [],
      product: [],
      held: [],
      phases: { ticket: [], peer: [], audio: [] },
    };
    const guestLinks = links.filter((l) => l.memberId !== null);
    const livekitCode = `**/${builtWebFile((key) => key.endsWith('livekit-client/dist/livekit-client.esm.mjs'))}`;
    /** Requests for LiveKit's code the held runs held back (0 would mean the route missed). */
    let heldRequests = 0;
    for (let i = 0; i < 2 * (o.runs + o.warmup); i++) {
      const held = i % 2 === 1;
      const link = guestLinks[i]!;
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      if (held) {
        await context.route(livekitCode, async (route) => {
          heldRequests++;
          await released;
          await route.continue();
        });
      }
      await context.addInitScript(PROBE);
      await context.addInitScript((key) => {
        try {
          sessionStorage.setItem(key, 'off');
        } catch {
          // about:blank has no storage and no room
        }
      }, `pp_noise:${meetingId}`);
      const page = await context.newPage();
      await throttleIfFourG(page);
      const knownAs = participantIdOf(page);
      const ticketAt = mediaTicketAt(page);
      await page.goto(`${stack.origin}/join/${link.token}`);
      await page.getByTestId('join-name').fill(link.name);
      await page.getByTestId('join-submit').click();
      await page.waitForURL(`${stack.origin}/m/${meetingId}`, { timeout: 60_000 });
      const participantId = await knownAs;

      // The product: admit, and the page hears the facilitator.
      const t0 = Date.now();
      const heard = page.evaluate(`(${FIRST_AUDIO})(${t0})`) as Promise<number>;
      release();
      await admin.call('POST', `/api/meetings/${meetingId}/participants/${participantId}/admit`);
      const heardAt = await heard;
      const productMs = heardAt - t0;
      const peerAt = (await page.evaluate(
        `Math.min(...window.__pcs.map((p) => p.at).filter((at) => at >= ${t0}))`,
      )) as number;
      const ticketMs = (await ticketAt) - t0;

      // Bare livekit-client in the same page: connect → first audio.
      const b0 = Date.now();
      const bareHeard = page.evaluate(`(${FIRST_AUDIO})(${b0})`) as Promise<number>;
      await page.evaluate(
        `(${BARE_CONNECT})(${JSON.stringify({
          url: stack.livekit.url,
          token: await token('bench-baseline', `listener-${i}`, false),
        })})`,
      );
      const bareMs = (await bareHeard) - b0;
      if (held) {
        if (i >= 2 * o.warmup) result.held.push(productMs);
        await context.close();
        continue;
      }
      if (i >= 2 * o.warmup) {
        result.product.push(productMs);
        result.phases.ticket.push(ticketMs);
        result.phases.peer.push(peerAt - t0 - ticketMs);
        result.phases.audio.push(heardAt - peerAt);
        result.baseline.push(bareMs);
      }
      await context.close();
    }
    if (heldRequests === 0) throw new Error("no request for LiveKit's code was held");
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

/** Resolves with the participant id the page's live channel names in its first snapshot. */
export function participantIdOf(page: {
  on(event: 'websocket', cb: (ws: LiveSocket) => void): unknown;
}): Promise<string> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/live')) return;
      ws.on('framereceived', ({ payload }) => {
        try {
          const message = JSON.parse(String(payload)) as { me?: { participantId?: string } };
          if (message.me?.participantId) resolve(message.me.participantId);
        } catch {
          // not a live message
        }
      });
    });
  });
}

/** Resolves with Date.now() when the page's live channel hands it a media ticket. */
export function mediaTicketAt(page: {
  on(event: 'websocket', cb: (ws: LiveSocket) => void): unknown;
}): Promise<number> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/live')) return;
      ws.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"media":{')) resolve(Date.now());
      });
    });
  });
}

interface LiveSocket {
  url(): string;
  on(event: 'framereceived', cb: (frame: { payload: string | Buffer }) => void): unknown;
}
