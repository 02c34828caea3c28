// The join measurement of `pnpm bench join` (and `pnpm bench impaired`): a facilitator's admit
// → the guest's first remote audio, through the real flow (personal link, lobby, admission,
// live channel, token, LiveKit), beside a bare LiveKit connect-and-hear in a room of its own.
import { Room, RoomEvent } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import {
  claimSeats,
  connectLive,
  firstRemoteAudio,
  joinByLink,
  prepareMeeting,
  publishTone,
  type ApiClient,
  type Stack,
} from '@polyphony/stack';

export interface JoinOptions {
  readonly runs: number;
  readonly warmup: number;
  /** The LiveKit URL clients connect to (the impairment relay's, say); default the server's. */
  readonly livekitUrl?: string;
  /** The signal URL the guests' live channels use; default the service's. */
  readonly signalUrl?: string;
  /** An administrator signed in already (else this sets the deployment up). */
  readonly admin?: ApiClient;
}

export interface JoinResult {
  /** The administrator who ran it (signed in, for a next measurement on the same stack). */
  readonly admin: ApiClient;
  /** Bare LiveKit: connect → first audio, ms. */
  readonly baseline: number[];
  /** The product: admit click → guest hears first audio, ms. */
  readonly product: number[];
  /** Where the product's time goes: admit → media ticket → connected → subscribed → first audio. */
  readonly phases: { ticket: number[]; connect: number[]; subscribe: number[]; audio: number[] };
}

export async function measureJoin(stack: Stack, o: JoinOptions): Promise<JoinResult> {
  const livekitUrl = o.livekitUrl ?? stack.livekit.url;
  const signalUrl = o.signalUrl ?? stack.signal.url;
  const cleanups: (() => Promise<void>)[] = [];
  const token = (room: string, identity: string, publish: boolean): Promise<string> => {
    const { apiKey, apiSecret } = stack.livekit;
    const at = new AccessToken(apiKey, apiSecret, { identity, ttl: 300 });
    at.addGrant({ roomJoin: true, room, canSubscribe: true, canPublish: publish });
    return at.toJwt();
  };
  try {
    // Baseline room: a bare LiveKit publisher speaking a tone.
    const baseSpeaker = new Room();
    await baseSpeaker.connect(livekitUrl, await token('bench-baseline', 'speaker', true));
    cleanups.push(await publishTone(baseSpeaker, 440), () => baseSpeaker.disconnect());

    // The product: a network without a centre person, so the facilitator's admission suffices
    // (product.md 4.2); one personal link per run.
    const members = Array.from({ length: o.runs + o.warmup }, (_, i) => ({
      name: `Relative ${i}`,
      relationship: 'family',
    }));
    const prepared = await prepareMeeting(stack.signal.url, stack.origin, members, o.admin);
    const { admin, meetingId } = prepared;
    await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
    const staffLive = await connectLive(signalUrl, stack.origin, meetingId, admin.cookieHeader());
    cleanups.push(async () => staffLive.close());
    const staffMedia = await staffLive.media;
    const facilitator = new Room();
    await facilitator.connect(livekitUrl, staffMedia.token);
    await claimSeats(stack.livekit, meetingId, [
      { identity: staffMedia.identity, live: staffLive },
    ]);
    cleanups.push(await publishTone(facilitator, 330), () => facilitator.disconnect());
    const facilitatorIdentity = staffMedia.identity;

    const guestLinks = prepared.links.filter((l) => l.memberId !== null);
    const result: JoinResult = {
      admin,
      baseline: [],
      product: [],
      phases: { ticket: [], connect: [], subscribe: [], audio: [] },
    };
    for (let i = 0; i < o.runs + o.warmup; i++) {
      // bare LiveKit: connect and hear the first audio
      const bare = new Room();
      const b0 = performance.now();
      const bareHeard = firstRemoteAudio(bare, (id) => id === 'speaker');
      await bare.connect(livekitUrl, await token('bench-baseline', `listener-${i}`, false));
      const b = (await bareHeard) - b0;
      await bare.disconnect();

      // product: knock, wait in the lobby, then admit and time to first audio
      const link = guestLinks[i]!;
      const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
      const live = await connectLive(
        signalUrl,
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
      await room.connect(o.livekitUrl ?? media.url, media.token);
      const t2 = performance.now();
      // What the page does next: claim the seat with its sid; the grants follow from the server.
      live.ws.send(JSON.stringify({ type: 'seat', sid: room.localParticipant!.sid }));
      const heardAt = await heard;
      const subscribedAt = await subscribed;
      if (i >= o.warmup) {
        result.phases.ticket.push(t1 - t0);
        result.phases.connect.push(t2 - t1);
        result.phases.subscribe.push(subscribedAt - t2);
        result.phases.audio.push(heardAt - subscribedAt);
        result.baseline.push(b);
        result.product.push(heardAt - t0);
      }
      await room.disconnect();
      live.close();
    }
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  }
}

const p50 = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** One line: where the product's time goes (p50 of each phase). */
export function phasesLine(phases: JoinResult['phases']): string {
  return (
    `  where the product's time goes (p50, ms): admit → ticket ${p50(phases.ticket).toFixed(0)}, ` +
    `connect ${p50(phases.connect).toFixed(0)}, seat → track subscribed ${p50(phases.subscribe).toFixed(0)}, ` +
    `subscribed → first audio ${p50(phases.audio).toFixed(0)}\n`
  );
}
