// The media side of `pnpm bench reflect`, in a process of its own so that ten rtc-node rooms,
// their tones and their stats polling do not slow down the process that clicks and watches
// the live channels. Driven over IPC (see PeerRequest); times are wall-clock milliseconds
// (performance.timeOrigin + performance.now()), comparable with the parent's and with
// WebRTC's lastPacketReceivedTimestamp.
import { Room, dispose } from '@livekit/rtc-node';
import { ToneMicrophone } from '@polyphony/stack';

export interface PeerSpec {
  readonly identity: string;
  readonly url: string;
  readonly token: string;
  /** Speaks a tone on its microphone. */
  readonly speaks: boolean;
}

/** One reading of an inbound audio stream at a listener. */
export interface StreamSample {
  /** When the reading was taken. */
  readonly at: number;
  readonly packets: number;
  readonly bytes: number;
  /** WebRTC's lastPacketReceivedTimestamp (wall clock, ms). */
  readonly lastPacketAt: number;
}

/** Per listener, per inbound audio stream (WebRTC track id), its readings in time order. */
export type WatchResult = Record<string, Record<string, StreamSample[]>>;

export type PeerRequest =
  /**
   * Connects every peer; speakers publish at once unless `publish` is false (the product's
   * tickets carry no rights until the seat is claimed; `speak-again` publishes then).
   */
  | {
      readonly id: number;
      readonly type: 'connect';
      readonly peers: readonly PeerSpec[];
      readonly publish: boolean;
    }
  /** Starts reading every room's inbound audio; answers once every room has been read. */
  | { readonly id: number; readonly type: 'watch-start'; readonly everyMs: number }
  /** Stops reading; answers with the readings. */
  | { readonly id: number; readonly type: 'watch-stop' }
  | { readonly id: number; readonly type: 'speak-again'; readonly identities: readonly string[] }
  | { readonly id: number; readonly type: 'close' };

export type PeerReply =
  | { readonly id: number; readonly ok: true; readonly result?: WatchResult }
  | { readonly id: number; readonly ok: false; readonly error: string };

const wall = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Peer {
  readonly spec: PeerSpec;
  readonly room: Room;
  readonly tone: ToneMicrophone | null;
}

const peers: Peer[] = [];
let toneHz = 300;

/** Reads every inbound audio stream of one room. */
async function readStreams(room: Room): Promise<Map<string, StreamSample>> {
  const stats = await room.getRtcStats();
  const at = wall();
  const streams = new Map<string, StreamSample>();
  for (const s of [...stats.subscriberStats, ...stats.publisherStats]) {
    if (s.stats.case !== 'inboundRtp') continue;
    const v = s.stats.value;
    if (v.stream?.kind !== 'audio' || !v.inbound?.trackIdentifier) continue;
    streams.set(v.inbound.trackIdentifier, {
      at,
      packets: Number(v.received?.packetsReceived ?? 0),
      bytes: Number(v.inbound.bytesReceived ?? 0),
      lastPacketAt: v.inbound.lastPacketReceivedTimestamp ?? 0,
    });
  }
  return streams;
}

/** Reads every room once, keeping readings whose packet count moved. */
async function sweep(into: WatchResult): Promise<void> {
  await Promise.all(
    peers.map(async (peer) => {
      const mine: Record<string, StreamSample[]> = (into[peer.spec.identity] ??= {});
      for (const [track, sample] of await readStreams(peer.room)) {
        const list = (mine[track] ??= []);
        if (list.at(-1)?.packets !== sample.packets) list.push(sample);
      }
    }),
  );
}

let watching: { stop: boolean; readonly result: WatchResult; loop: Promise<void> } | null = null;

async function startWatching(everyMs: number): Promise<void> {
  const w = { stop: false, result: {}, loop: Promise.resolve() };
  await sweep(w.result);
  w.loop = (async () => {
    while (!w.stop) {
      await sleep(everyMs);
      await sweep(w.result);
    }
  })();
  watching = w;
}

async function stopWatching(): Promise<WatchResult> {
  const w = watching;
  if (!w) throw new Error('not watching');
  watching = null;
  w.stop = true;
  await w.loop;
  return w.result;
}

async function handle(req: PeerRequest): Promise<WatchResult | undefined> {
  switch (req.type) {
    case 'connect':
      for (const spec of req.peers) {
        const room = new Room();
        await room.connect(spec.url, spec.token, { autoSubscribe: true, dynacast: true });
        const peer: Peer = {
          spec,
          room,
          tone: spec.speaks ? new ToneMicrophone((toneHz += 17)) : null,
        };
        peers.push(peer);
        if (req.publish) await peer.tone?.publish(room);
      }
      return undefined;
    case 'watch-start':
      await startWatching(req.everyMs);
      return undefined;
    case 'watch-stop':
      return stopWatching();
    case 'speak-again':
      await Promise.all(
        peers
          .filter((p) => req.identities.includes(p.spec.identity))
          .map((p) => p.tone?.publish(p.room)),
      );
      return undefined;
    case 'close':
      for (const p of peers) {
        await p.tone?.stop();
        await p.room.disconnect().catch(() => {});
      }
      await dispose();
      setTimeout(() => process.exit(0), 50);
      return undefined;
  }
}

process.on('message', (req: PeerRequest) => {
  handle(req).then(
    (result) => process.send!({ id: req.id, ok: true, result } satisfies PeerReply),
    (err: unknown) =>
      process.send!({ id: req.id, ok: false, error: String(err) } satisfies PeerReply),
  );
});
process.on('disconnect', () => process.exit(0));
