// pnpm bench connect: live channel → token → connected to LiveKit, beside a bare LiveKit
// connect with a locally minted token, both measured in this run on this machine.
import { Room, dispose } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { exitOnSignals, fetchMediaAccess, startStack, type SeededMeeting } from '@polyphony/stack';
import { report } from './lib/stats.ts';

const RUNS = Number(process.argv[2] ?? 20);
exitOnSignals();
const stack = await startStack<SeededMeeting>({
  seed: { participants: [{ displayName: 'Bench Facilitator', role: 'facilitator' }] },
});

async function timedConnect(url: string, token: string): Promise<number> {
  const room = new Room();
  const t0 = performance.now();
  await room.connect(url, token, { autoSubscribe: true, dynacast: true });
  const ms = performance.now() - t0;
  await room.disconnect();
  return ms;
}

try {
  const seeded = stack.seeded!;
  const baseline: number[] = [];
  const product: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const at = new AccessToken(stack.livekit.apiKey, stack.livekit.apiSecret, {
      identity: `bench-${i}`,
      ttl: 60,
    });
    at.addGrant({ roomJoin: true, room: 'bench-baseline', canSubscribe: true, canPublish: false });
    const b = await timedConnect(stack.livekit.url, await at.toJwt());

    const t0 = performance.now();
    const { media, live } = await fetchMediaAccess(
      stack.signal.url,
      stack.origin,
      seeded.meetingId,
      `pp_guest=${seeded.participants[0]!.sessionToken}`,
    );
    const tokenMs = performance.now() - t0;
    const p = tokenMs + (await timedConnect(media.url, media.token));
    live.close();
    if (i >= 2) {
      // the first two runs warm caches and are not counted
      baseline.push(b);
      product.push(p);
    }
  }
  report('connect', { label: 'bare LiveKit connect (local token)', samplesMs: baseline }, [
    { label: 'live channel + token + LiveKit connect', samplesMs: product },
  ]);
} finally {
  await stack.stop();
  await dispose();
}
