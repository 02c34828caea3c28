// pnpm bench bandwidth [seconds]: what one person's browser sends in a 9-person call. The
// facilitator is the product's own web page in Chromium (its room options: simulcast, DTX,
// RED, the audio preset), speaking a steady tone from the fake microphone, its camera on,
// then off; eight admitted network members are real LiveKit participants (rtc-node, in a
// child process), each speaking a tone. Upstream is read from the page's own WebRTC stats:
// every byte its peer connections sent (RTP, RTCP, DTLS, data channel), over `seconds`,
// plus 28 bytes of IPv4 and UDP header per packet for the figure on the wire.
import {
  CAPTURE_PEER_CONNECTIONS,
  claimSeats,
  connectLive,
  exitOnSignals,
  joinByLink,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type LiveClient,
} from '@polyphony/stack';
import type { PeerSpec } from './lib/peers.ts';
import { sleep, within } from './lib/peer-process.ts';
import { connectPeers, SwitchRun } from './lib/reflect-switches.ts';

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['newPage']>>;

const SECONDS = Number(process.argv[2] ?? 15);
const NETWORK = 8;
/** The target for audio-only upstream, kbit/s. */
const AUDIO_TARGET_KBPS = 100;
/** After a camera change, before measuring: encoders and simulcast layers settle. */
const SETTLE_MS = 5000;

/** What one peer connection has sent so far. */
interface PcSent {
  readonly bytes: number;
  readonly packets: number;
  /** Outbound RTP payload+header bytes by kind. */
  readonly audio: number;
  readonly video: number;
  /** Video layers (simulcast encodings) sending now. */
  readonly layers: number;
}

interface Sent {
  readonly at: number;
  /** By the peer connection's place in the page's list; null: closed. */
  readonly pcs: (PcSent | null)[];
}

/**
 * Everything each of the page's peer connections (`window.__pcs`, CAPTURE_PEER_CONNECTIONS)
 * has sent so far. A string, evaluated as it is: the bench's TypeScript loader would add
 * helpers to a function that the page does not have.
 */
const READ_SENT = `(async () => {
  const read = async (pc) => {
    if (pc.connectionState === 'closed') return null;
    const sent = { bytes: 0, packets: 0, audio: 0, video: 0, layers: 0 };
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'transport') {
        sent.bytes += Number(s.bytesSent ?? 0);
        sent.packets += Number(s.packetsSent ?? 0);
      }
      if (s.type === 'outbound-rtp') {
        const b = Number(s.bytesSent ?? 0) + Number(s.headerBytesSent ?? 0);
        if (s.kind === 'audio') sent.audio += b;
        else {
          sent.video += b;
          if (s.active !== false && Number(s.framesPerSecond ?? 0) > 0) sent.layers++;
        }
      }
    });
    return sent;
  };
  return { at: performance.now(), pcs: await Promise.all(window.__pcs.map(read)) };
})()`;

const readSent = (page: Page): Promise<Sent> => page.evaluate(READ_SENT) as Promise<Sent>;

/**
 * kbit/s between two readings, over the peer connections open at both (a connection replaced
 * in between, after a reconnection, is counted in `replaced` and left out).
 */
function rates(a: Sent, b: Sent) {
  const ms = b.at - a.at;
  const sum = { bytes: 0, packets: 0, audio: 0, video: 0, layers: 0 };
  let replaced = 0;
  a.pcs.forEach((before, i) => {
    const after = b.pcs[i];
    if (before && !after) replaced++;
    if (!before || !after) return;
    sum.bytes += after.bytes - before.bytes;
    sum.packets += after.packets - before.packets;
    sum.audio += after.audio - before.audio;
    sum.video += after.video - before.video;
    sum.layers += after.layers;
  });
  replaced += b.pcs.slice(a.pcs.length).filter((p) => p !== null).length;
  const kbps = (bytes: number) => (bytes * 8) / ms;
  return {
    payload: kbps(sum.bytes),
    wire: kbps(sum.bytes + 28 * sum.packets),
    audio: kbps(sum.audio),
    video: kbps(sum.video),
    packetsPerSecond: (sum.packets * 1000) / ms,
    layers: sum.layers,
    replaced,
  };
}

/** The page's media state (RoomStage's `media-status`). */
const mediaState = (page: Page) =>
  page
    .getByTestId('media-status')
    .getAttribute('data-state', { timeout: 5000 })
    .catch(() => null);

async function measure(page: Page): Promise<ReturnType<typeof rates>> {
  const a = await readSent(page);
  await sleep(SECONDS * 1000);
  const r = rates(a, await readSent(page));
  const state = await mediaState(page);
  if (r.replaced > 0 || state !== 'connected') {
    console.error(
      `[bandwidth] during the measurement: ${r.replaced} peer connections replaced; media now ${state}`,
    );
  }
  return r;
}

exitOnSignals();
const stack = await startStack({ output: 'ignore', web: true });
const run = new SwitchRun();
const browser = await launchChromium({
  audioFile: writeToneWav({ frequency: 440, seconds: 120 }),
});
const lives: LiveClient[] = [];

try {
  const prepared = await prepareMeeting(
    stack.signal.url,
    stack.origin,
    Array.from({ length: NETWORK }, (_, i) => ({ name: `Relative ${i}`, relationship: 'family' })),
  );
  const { admin, meetingId } = prepared;

  // The facilitator's page, as staff enter: the meeting page, then "Join the meeting".
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addCookies(
    [...admin.cookies].map(([name, value]) => ({ name, value, url: stack.origin })),
  );
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const page = await context.newPage();
  await page.goto(`${stack.origin}/staff/meetings/${meetingId}`);
  await page.getByRole('button', { name: 'Join the meeting' }).click();
  await page
    .locator('[data-testid="media-status"][data-state="connected"]')
    .waitFor({ timeout: 60_000 });

  // Eight network members: admitted, on their live channels, seats claimed, speaking.
  const specs: PeerSpec[] = [];
  for (const link of prepared.links.filter((l) => l.memberId !== null)) {
    const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
    await admin.call(
      'POST',
      `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
    );
    const live = await connectLive(
      stack.signal.url,
      stack.origin,
      meetingId,
      guest.client.cookieHeader(),
    );
    lives.push(live);
    specs.push({ ...(await live.media), speaks: true });
  }
  await connectPeers(run, specs, () =>
    claimSeats(
      stack.livekit,
      meetingId,
      specs.map((s, k) => ({ identity: s.identity, live: lives[k]! })),
    ),
  );
  console.error(`[bandwidth] ${specs.length + 1} in the call; measuring ${SECONDS} s each`);

  await sleep(SETTLE_MS);
  const withVideo = await measure(page);
  await page.getByTestId('toggle-camera').click();
  await sleep(SETTLE_MS);
  const audioOnly = await measure(page);

  const line = (label: string, r: ReturnType<typeof rates>) =>
    `  ${label.padEnd(34)} ${r.wire.toFixed(1).padStart(7)} kbit/s on the wire ` +
    `(${r.payload.toFixed(1)} UDP payload, ${r.packetsPerSecond.toFixed(0)} packets/s; ` +
    `audio RTP ${r.audio.toFixed(1)}, video RTP ${r.video.toFixed(1)}, video layers ${r.layers})`;
  console.log(`\nbandwidth: one participant's upstream in a ${specs.length + 1}-person call\n`);
  console.log(line('camera and microphone', withVideo));
  console.log(line('audio only (camera off)', audioOnly));
  console.log(
    `  audio-only upstream ${audioOnly.wire.toFixed(1)} kbit/s, target ≤ ${AUDIO_TARGET_KBPS}: ` +
      `${audioOnly.wire <= AUDIO_TARGET_KBPS ? 'meets' : 'MISSES'} ` +
      `(×${(withVideo.wire / audioOnly.wire).toFixed(1)} with the camera on)`,
  );
} finally {
  for (const l of lives) l.close();
  await within('close', 10_000, Promise.resolve(run.killAll())).catch(() => {});
  await browser.close().catch(() => {});
  await stack.stop();
}
