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

interface Sent {
  readonly at: number;
  readonly bytes: number;
  readonly packets: number;
  /** Outbound RTP payload+header bytes by kind. */
  readonly audio: number;
  readonly video: number;
  /** Video layers (simulcast encodings) sending now. */
  readonly layers: number;
}

/** Everything the page's peer connections have sent so far. */
function readSent(page: Page): Promise<Sent> {
  return page.evaluate(async () => {
    const pcs = (
      globalThis as unknown as {
        __pcs: {
          connectionState: string;
          getStats(): Promise<Map<string, Record<string, unknown>>>;
        }[];
      }
    ).__pcs;
    let bytes = 0;
    let packets = 0;
    let audio = 0;
    let video = 0;
    let layers = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'transport') {
          bytes += Number(s.bytesSent ?? 0);
          packets += Number(s.packetsSent ?? 0);
        }
        if (s.type === 'outbound-rtp') {
          const b = Number(s.bytesSent ?? 0) + Number(s.headerBytesSent ?? 0);
          if (s.kind === 'audio') audio += b;
          else {
            video += b;
            if (s.active !== false && Number(s.framesPerSecond ?? 0) > 0) layers++;
          }
        }
      });
    }
    return { at: performance.now(), bytes, packets, audio, video, layers };
  });
}

/** kbit/s between two readings. */
function rates(a: Sent, b: Sent) {
  const ms = b.at - a.at;
  const kbps = (bytes: number) => (bytes * 8) / ms;
  return {
    payload: kbps(b.bytes - a.bytes),
    wire: kbps(b.bytes - a.bytes + 28 * (b.packets - a.packets)),
    audio: kbps(b.audio - a.audio),
    video: kbps(b.video - a.video),
    packetsPerSecond: ((b.packets - a.packets) * 1000) / ms,
    layers: b.layers,
  };
}

async function measure(page: Page): Promise<ReturnType<typeof rates>> {
  const a = await readSent(page);
  await sleep(SECONDS * 1000);
  return rates(a, await readSent(page));
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
