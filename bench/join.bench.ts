// pnpm bench join: a facilitator's admit → the guest's first remote audio, through the real
// flow (personal link, lobby, admission, live channel, token, LiveKit), beside a bare LiveKit
// connect-and-hear in a room of its own, both measured in this run on this machine.
import { Room, RoomEvent, dispose } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import {
  claimSeats,
  connectLive,
  exitOnSignals,
  firstRemoteAudio,
  joinByLink,
  prepareMeeting,
  publishTone,
  startStack,
} from '@polyphony/stack';
import { report } from './lib/stats.ts';

const RUNS = Number(process.argv[2] ?? 20);
const WARMUP = 2;
exitOnSignals();
const stack = await startStack();
const cleanups: (() => Promise<void>)[] = [];

async function token(room: string, identity: string, publish: boolean): Promise<string> {
  const at = new AccessToken(stack.livekit.apiKey, stack.livekit.apiSecret, { identity, ttl: 300 });
  at.addGrant({ roomJoin: true, room, canSubscribe: true, canPublish: publish });
  return at.toJwt();
}

try {
  // Baseline room: a bare LiveKit publisher speaking a tone.
  const baseSpeaker = new Room();
  await baseSpeaker.connect(stack.livekit.url, await token('bench-baseline', 'speaker', true));
  cleanups.push(await publishTone(baseSpeaker, 440), () => baseSpeaker.disconnect());

  // The product: a network without a centre person, so the facilitator's admission suffices
  // (product.md 4.2); one personal link per run.
  const members = Array.from({ length: RUNS + WARMUP }, (_, i) => ({
    name: `Relative ${i}`,
    relationship: 'family',
  }));
  const prepared = await prepareMeeting(stack.signal.url, stack.origin, members);
  const { admin, meetingId } = prepared;
  await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
  const staffLive = await connectLive(
    stack.signal.url,
    stack.origin,
    meetingId,
    admin.cookieHeader(),
  );
  const staffMedia = await staffLive.media;
  const facilitator = new Room();
  await facilitator.connect(staffMedia.url, staffMedia.token);
  await claimSeats(stack.livekit, meetingId, [{ identity: staffMedia.identity, live: staffLive }]);
  cleanups.push(await publishTone(facilitator, 330), () => facilitator.disconnect());
  const facilitatorIdentity = staffMedia.identity;

  const guestLinks = prepared.links.filter((l) => l.memberId !== null);
  const baseline: number[] = [];
  const product: number[] = [];
  /** Where the product's time goes: admit → media ticket → connected → subscribed → first audio. */
  const phases = {
    ticket: [] as number[],
    connect: [] as number[],
    subscribe: [] as number[],
    audio: [] as number[],
  };
  for (let i = 0; i < RUNS + WARMUP; i++) {
    // bare LiveKit: connect and hear the first audio
    const bare = new Room();
    const b0 = performance.now();
    const bareHeard = firstRemoteAudio(bare, (id) => id === 'speaker');
    await bare.connect(stack.livekit.url, await token('bench-baseline', `listener-${i}`, false));
    const b = (await bareHeard) - b0;
    await bare.disconnect();

    // product: knock, wait in the lobby, then admit and time to first audio
    const link = guestLinks[i]!;
    const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
    const live = await connectLive(
      stack.signal.url,
      stack.origin,
      meetingId,
      guest.client.cookieHeader(),
    );
    const room = new Room();
    const heard = firstRemoteAudio(room, (id) => id === facilitatorIdentity);
    // The first track subscribed: the grant has arrived and the subscription is negotiated.
    const subscribed = new Promise<number>((resolve) =>
      room.on(RoomEvent.TrackSubscribed, () => resolve(performance.now())),
    );
    const t0 = performance.now();
    await admin.call(
      'POST',
      `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
    );
    const media = await live.media;
    const t1 = performance.now();
    await room.connect(media.url, media.token);
    const t2 = performance.now();
    // What the page does next: claim the seat with its sid; the grants follow from the server.
    live.ws.send(JSON.stringify({ type: 'seat', sid: room.localParticipant!.sid }));
    const heardAt = await heard;
    const subscribedAt = await subscribed;
    const p = heardAt - t0;
    if (i >= WARMUP) {
      phases.ticket.push(t1 - t0);
      phases.connect.push(t2 - t1);
      phases.subscribe.push(subscribedAt - t2);
      phases.audio.push(heardAt - subscribedAt);
    }
    await room.disconnect();
    live.close();
    if (i >= WARMUP) {
      baseline.push(b);
      product.push(p);
    }
  }
  report('join', { label: 'bare LiveKit connect → first audio', samplesMs: baseline }, [
    {
      label: 'admit click → guest hears first audio',
      samplesMs: product,
      target: { p50: 800, p95: 1500 },
    },
  ]);
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  process.stdout.write(
    `  where the product's time goes (p50, ms): admit → ticket ${p50(phases.ticket).toFixed(0)}, ` +
      `connect ${p50(phases.connect).toFixed(0)}, seat → track subscribed ${p50(phases.subscribe).toFixed(0)}, ` +
      `subscribed → first audio ${p50(phases.audio).toFixed(0)}\n`,
  );
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await stack.stop();
  await dispose();
}
