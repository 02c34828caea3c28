// When did a microphone stop reaching a listener? Read from the listener's own WebRTC
// counters (inbound-rtp packets, bytes, lastPacketReceivedTimestamp).
//
// When LiveKit takes a track away it does not simply stop: the forwarder is muted and then
// ~200 ms of Opus silence frames follow (to flush the listener's decoder), so "bytes stop
// growing" would time LiveKit's flush, not the cut. Silence frames are small and a speaking
// microphone's are not, so each interval between two readings is split into sound packets
// and silence packets by size, and the first silence frame's arrival (from then on nothing of
// the member's arrives) is placed by counting back from the interval's last packet at the
// codec's 20 ms spacing.
import type { StreamSample } from './peers.ts';

export const PACKET_MS = 20;
/**
 * Payload bytes of LiveKit's Opus silence frame as listeners count them (`OpusSilenceFrame`,
 * 80 bytes, behind one byte), in the pinned livekit-server. Used when a switch's readings show
 * no interval of pure silence to measure it from.
 */
export const LIVEKIT_SILENCE_BYTES = 81;
/** How far a stats reading may lag the packets it reports, for the "flowing" test. */
const READING_LAG_MS = 400;

export type StreamVerdict =
  | { readonly kind: 'flowing' }
  | { readonly kind: 'stopped'; readonly lastSoundAt: number }
  /** Nothing to tell sound from: no reading of sound before the click anywhere. */
  | { readonly kind: 'unmeasured' };

/** Mean payload bytes per packet between two readings (NaN without packets). */
const perPacket = (a: StreamSample, b: StreamSample): number =>
  (b.bytes - a.bytes) / (b.packets - a.packets);

const NOTHING_YET: StreamSample = {
  at: Number.NEGATIVE_INFINITY,
  packets: 0,
  bytes: 0,
  lastPacketAt: Number.NEGATIVE_INFINITY,
};

const beforeClick = (samples: readonly StreamSample[], click: number) =>
  samples.filter((s) => s.at <= click);

/**
 * Bytes per packet of a stream's sound before the click: between its first and last reading
 * there when they are three packets apart (steady state), else its counters' mean from the
 * stream's start (they are cumulative, and before the click it carried nothing but sound).
 */
function soundSize(samples: readonly StreamSample[], click: number): number | null {
  const before = beforeClick(samples, click);
  const first = before[0];
  const last = before.at(-1);
  if (!first || !last) return null;
  if (last.packets - first.packets >= 3) return perPacket(first, last);
  return last.packets >= 3 ? last.bytes / last.packets : null;
}

export interface PacketSizes {
  /** Median bytes per packet of sound over every stream (every microphone speaks the same). */
  readonly sound: number | null;
  /**
   * LiveKit's silence frames: the smallest bytes per packet of any interval after the click
   * over every stream of every listener (with sparse readings a single stream may show no
   * interval of pure silence), else LIVEKIT_SILENCE_BYTES; null when that is not clearly
   * smaller than sound.
   */
  readonly silence: number | null;
}

export function packetSizes(
  listeners: Readonly<Record<string, Readonly<Record<string, readonly StreamSample[]>>>>,
  click: number,
): PacketSizes {
  let smallest = Number.POSITIVE_INFINITY;
  const sounds: number[] = [];
  for (const streams of Object.values(listeners)) {
    for (const samples of Object.values(streams)) {
      const sound = soundSize(samples, click);
      if (sound !== null) sounds.push(sound);
      let prev = beforeClick(samples, click).at(-1);
      for (const s of samples.filter((x) => x.at > click)) {
        if (prev) smallest = Math.min(smallest, perPacket(prev, s));
        prev = s;
      }
    }
  }
  sounds.sort((a, b) => a - b);
  const sound = sounds[Math.floor(sounds.length / 2)] ?? null;
  if (sound === null) return { sound, silence: null };
  if (smallest < sound * 0.6) return { sound, silence: smallest };
  return { sound, silence: LIVEKIT_SILENCE_BYTES < sound * 0.6 ? LIVEKIT_SILENCE_BYTES : null };
}

/**
 * Classifies one stream after a switch at `click`, from readings before and after it; `end`
 * is the freshest packet the listener had from any stream. Flowing: its last interval carried
 * only sound, the last of it within `quietMs` of the end. Stopped: `lastSoundAt` is when the
 * first silence frame arrived (the last sound packet came at most one packet earlier), or the
 * last packet when the stream simply ended.
 */
export function streamVerdict(
  samples: readonly StreamSample[],
  click: number,
  end: number,
  sizes: PacketSizes,
  quietMs = 150,
): StreamVerdict {
  const sound = soundSize(samples, click) ?? sizes.sound;
  const silence = sizes.silence;
  // A stream first read after the click (a late subscription) is counted from its start.
  const atClick = beforeClick(samples, click).at(-1) ?? NOTHING_YET;
  if (sound === null) return { kind: 'unmeasured' };
  const separable = silence !== null && silence < sound * 0.6;
  const soundPackets = (a: StreamSample, b: StreamSample): number => {
    const n = b.packets - a.packets;
    if (!separable) return n;
    const r = Math.round((b.bytes - a.bytes - silence * n) / (sound - silence));
    return Math.min(n, Math.max(0, r));
  };

  // Walk back to the last interval that carried sound.
  const after = samples.filter((s) => s.at > click);
  for (let k = after.length - 1; k >= 0; k--) {
    const from = k === 0 ? atClick : after[k - 1]!;
    const to = after[k]!;
    const r = soundPackets(from, to);
    if (r === 0) continue;
    const silent = to.packets - from.packets - r;
    if (silent > 0) {
      return { kind: 'stopped', lastSoundAt: to.lastPacketAt - PACKET_MS * (silent - 1) };
    }
    const next = after[k + 1];
    if (next) {
      // the interval after this one held only silence: its first frame
      const n = next.packets - to.packets;
      return { kind: 'stopped', lastSoundAt: next.lastPacketAt - PACKET_MS * (n - 1) };
    }
    if (to.lastPacketAt > end - quietMs) return { kind: 'flowing' };
    return { kind: 'stopped', lastSoundAt: to.lastPacketAt };
  }
  return { kind: 'stopped', lastSoundAt: atClick.lastPacketAt };
}

export interface ListenerCut {
  /** Latest arrival of a blocked microphone's sound at this listener, ms after the click. */
  readonly lastSoundMs: number;
  /** Latest packet of any kind (LiveKit's silence flush included) from a blocked microphone. */
  readonly lastPacketMs: number;
  readonly flowing: number;
  readonly stopped: number;
  readonly unmeasured: number;
}

/** Every stream of one listener after one switch. */
export function listenerCut(
  streams: Readonly<Record<string, readonly StreamSample[]>>,
  click: number,
  sizes: PacketSizes,
  /** When the readings stopped. */
  until: number,
): ListenerCut {
  // The freshest packet this listener had (readings can lag the packets under load), but no
  // earlier than READING_LAG_MS before the watch stopped: a listener whose streams all ended
  // (the facilitator, with no other team member speaking) must not find them "flowing".
  const end = Math.max(
    until - READING_LAG_MS,
    ...Object.values(streams).flatMap((s) => s.map((x) => x.lastPacketAt)),
  );
  let lastSoundMs = Number.NEGATIVE_INFINITY;
  let lastPacketMs = Number.NEGATIVE_INFINITY;
  let flowing = 0;
  let stopped = 0;
  let unmeasured = 0;
  for (const samples of Object.values(streams)) {
    const v = streamVerdict(samples, click, end, sizes);
    if (v.kind === 'flowing') flowing++;
    else if (v.kind === 'unmeasured') unmeasured++;
    else {
      stopped++;
      lastSoundMs = Math.max(lastSoundMs, v.lastSoundAt - click);
      lastPacketMs = Math.max(lastPacketMs, samples.at(-1)!.lastPacketAt - click);
    }
  }
  return { lastSoundMs, lastPacketMs, flowing, stopped, unmeasured };
}
