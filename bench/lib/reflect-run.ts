// The measurement of `pnpm bench reflect` (and `pnpm bench impaired`): ten real LiveKit
// participants (facilitator, centre person, eight network members speaking), switched to
// reflecting and back N times through the product, then the same listeners cut by bare
// LiveKit updates; see reflect.bench.ts for what each figure means.
import { AccessToken, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import {
  claimSeats,
  connectLive,
  joinByLink,
  prepareMeeting,
  type ApiClient,
  type LiveClient,
  type Stack,
} from '@polyphony/stack';
import { wall, within } from './peer-process.ts';
import type { PeerSpec } from './peers.ts';
import { runSwitches, SwitchRun, waitForMode, type Listener } from './reflect-switches.ts';

export interface ReflectOptions {
  readonly switches: number;
  /** The bare-LiveKit baseline needs fewer switches than the product's figure (0: none). */
  readonly bareSwitches: number;
  /** The LiveKit URL clients connect to (the impairment relay's, say); default the server's. */
  readonly livekitUrl?: string;
  /** The signal URL the live channels use; default the service's. */
  readonly signalUrl?: string;
  /** Network members besides the centre person, all speaking (default 8: ten in the call). */
  readonly network?: number;
  /** An administrator signed in already (else this sets the deployment up). */
  readonly admin?: ApiClient;
}

export interface ReflectResult {
  readonly participants: number;
  /** Raw RoomService.updateParticipant round trips, ms. */
  readonly raw: number[];
  /** Bare LiveKit: nine updates → blocked sound stops at every listener, ms. */
  readonly bareMs: number[];
  /** The product: click → blocked sound stops at every listener, ms. */
  readonly cutMs: number[];
  /** Click → every live channel shows the mode, ms. */
  readonly modeMs: number[];
  /** Click → POST /mode answered, ms. */
  readonly answerMs: number[];
  /** Click → the last packet of a blocked microphone (silence flush included), ms. */
  readonly bytesMs: number[];
  readonly crashed: number;
  readonly wrongSwitches: number;
  /** The administrator the meeting was made with (for more meetings in the same deployment). */
  readonly admin: ApiClient;
}

export async function measureReflect(stack: Stack, o: ReflectOptions): Promise<ReflectResult> {
  const livekitUrl = o.livekitUrl ?? stack.livekit.url;
  const signalUrl = o.signalUrl ?? stack.signal.url;
  const run = new SwitchRun();
  try {
    // ── The product ─────────────────────────────────────────────────────────────────────
    const prepared = await prepareMeeting(
      stack.signal.url,
      stack.origin,
      [
        { name: 'Sam', relationship: 'self', isCentre: true },
        ...Array.from({ length: o.network ?? 8 }, (_, i) => ({
          name: `Relative ${i}`,
          relationship: 'family',
          preApproved: true,
        })),
      ],
      o.admin,
    );
    const { admin, meetingId } = prepared;
    await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
    const lives: LiveClient[] = [];
    const specs: PeerSpec[] = [];
    const join = async (cookie: string) => {
      const live = await connectLive(signalUrl, stack.origin, meetingId, cookie);
      lives.push(live);
      return live.media;
    };
    const facilitator = await join(admin.cookieHeader());
    specs.push({ ...facilitator, url: livekitUrl, speaks: true });
    for (const link of prepared.links.filter((l) => l.memberId !== null)) {
      const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
      await admin.call(
        'POST',
        `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
      );
      specs.push({ ...(await join(guest.client.cookieHeader())), url: livekitUrl, speaks: true });
    }
    const network = specs.slice(1).map((s) => s.identity);
    const listeners: Listener[] = specs.map((s, i) => ({
      identity: s.identity,
      teamStreams: i === 0 ? 0 : 1,
      blockedStreams: i === 0 ? network.length : network.length - 1,
    }));

    console.error(`[reflect] ${specs.length} participants, ${network.length} network speaking`);
    const cutMs: number[] = [];
    const bytesMs: number[] = [];
    const modeMs: number[] = [];
    const answerMs: number[] = [];
    let marks: number[] = [];
    let shown: Promise<number[]> = Promise.resolve([]);
    let click = 0;
    let answered = 0;
    const setMode = (mode: string) =>
      admin.call('POST', `/api/meetings/${meetingId}/mode`, { mode });
    const product = await runSwitches(run, o.switches, specs, listeners, network, {
      async block() {
        marks = lives.map((l) => l.messages.length);
        shown = Promise.all(lives.map((l, k) => waitForMode(l, 'reflecting', marks[k]!)));
        click = wall();
        await setMode('reflecting');
        answered = wall() - click;
      },
      async measured(i, cut) {
        modeMs.push(Math.max(...(await within('mode shown', 10_000, shown))) - click);
        answerMs.push(answered);
        cutMs.push(cut.ms);
        bytesMs.push(cut.bytesMs);
        console.error(
          `[reflect] switch ${i + 1}: shown ${modeMs.at(-1)!.toFixed(0)} ms, answered ${answered.toFixed(0)} ms, sound stopped ${cut.ms.toFixed(0)} ms${cut.wrong ? ` (${cut.wrong} listeners wrong)` : ''}`,
        );
      },
      // Tickets grant nothing: each connection claims its seat over its live channel.
      seat: () =>
        claimSeats(
          stack.livekit,
          meetingId,
          specs.map((s, k) => ({ identity: s.identity, live: lives[k]! })),
        ),
      // Back to dialogue; the network speaks again (the bench re-enables the microphones at
      // once; in the product each person does that themselves).
      async unblock() {
        const back = lives.map((l, k) => waitForMode(l, 'dialogue', marks[k]!));
        await setMode('dialogue');
        await within('back to dialogue', 10_000, Promise.all(back));
      },
    });
    await within('close', 10_000, product.request({ type: 'close' })).catch(() => {});
    if (o.bareSwitches === 0) {
      const none: number[] = [];
      return {
        participants: specs.length,
        raw: none,
        bareMs: none,
        cutMs,
        modeMs,
        answerMs,
        bytesMs,
        crashed: run.crashed,
        wrongSwitches: run.wrongSwitches,
        admin,
      };
    }

    // ── Bare LiveKit, same machine, same run ────────────────────────────────────────────
    const rooms = new RoomServiceClient(
      stack.livekit.httpUrl,
      stack.livekit.apiKey,
      stack.livekit.apiSecret,
    );
    const bareRoom = 'bench-bare-reflect';
    const bareSpecs: PeerSpec[] = await Promise.all(
      specs.map(async (_, i) => {
        const identity = `bare-${i}`;
        const at = new AccessToken(stack.livekit.apiKey, stack.livekit.apiSecret, { identity });
        at.addGrant({ roomJoin: true, room: bareRoom, canPublish: true, canSubscribe: true });
        return { identity, url: livekitUrl, token: await at.toJwt(), speaks: true };
      }),
    );
    const bareNetwork = bareSpecs.slice(1).map((s) => s.identity);
    const bareListeners: Listener[] = listeners.map((l, i) => ({
      ...l,
      identity: bareSpecs[i]!.identity,
    }));
    const grants = (mic: boolean, screen = false) => ({
      permission: {
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources: [
          TrackSource.CAMERA,
          ...(mic ? [TrackSource.MICROPHONE] : []),
          ...(screen ? [TrackSource.SCREEN_SHARE] : []),
        ],
        canUpdateMetadata: false,
      },
    });
    const bareMs: number[] = [];
    const updateNetwork = (mic: boolean) =>
      Promise.all(bareNetwork.map((id) => rooms.updateParticipant(bareRoom, id, grants(mic))));
    const bare = await runSwitches(run, o.bareSwitches, bareSpecs, bareListeners, bareNetwork, {
      block: () => updateNetwork(false).then(() => {}),
      measured: async (_, cut) => void bareMs.push(cut.ms),
      unblock: () => updateNetwork(true).then(() => {}),
    });
    const raw: number[] = [];
    // The raw round trip: a grant that changes what the speaking facilitator may publish
    // (screen share on or off) without touching its microphone.
    for (let i = 0; i < o.switches; i++) {
      const t0 = wall();
      await rooms.updateParticipant(bareRoom, bareSpecs[0]!.identity, grants(true, i % 2 === 0));
      raw.push(wall() - t0);
    }
    await within('close', 10_000, bare.request({ type: 'close' })).catch(() => {});
    return {
      participants: specs.length,
      raw,
      bareMs,
      cutMs,
      modeMs,
      answerMs,
      bytesMs,
      crashed: run.crashed,
      wrongSwitches: run.wrongSwitches,
      admin,
    };
  } finally {
    run.killAll();
  }
}
