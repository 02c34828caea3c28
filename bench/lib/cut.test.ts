import { describe, expect, it } from 'vitest';
import {
  LIVEKIT_SILENCE_BYTES,
  listenerCut,
  packetSizes,
  streamVerdict,
  PACKET_MS,
} from './cut.ts';
import type { StreamSample } from './peers.ts';

const SOUND = 247;
const SILENCE = 81;
const SIZES = { sound: SOUND, silence: SILENCE };

/**
 * A listener's readings, every `every` ms from `from`, of a stream whose packets (one per
 * 20 ms from t=0) carry sound until `cutAt`, then `silent` silence frames, then nothing.
 */
function readings(cutAt: number, silent: number, until: number, every = 50): StreamSample[] {
  const packets: { at: number; size: number }[] = [];
  for (let t = 0; t < cutAt; t += PACKET_MS) packets.push({ at: t, size: SOUND });
  const firstSilent = packets.length * PACKET_MS;
  for (let i = 0; i < silent; i++) packets.push({ at: firstSilent + i * PACKET_MS, size: SILENCE });
  const out: StreamSample[] = [];
  for (let at = every; at <= until; at += every) {
    const seen = packets.filter((p) => p.at <= at);
    if (seen.length === 0 || seen.length === out.at(-1)?.packets) continue;
    out.push({
      at,
      packets: seen.length,
      bytes: seen.reduce((s, p) => s + p.size, 0),
      lastPacketAt: seen.at(-1)!.at,
    });
  }
  return out;
}

describe('streamVerdict', () => {
  it('stops at the first silence frame, found inside a reading interval', () => {
    // sound at 0, 20, … 1000; silence frames at 1020 … 1200
    const v = streamVerdict(readings(1010, 10, 2000), 960, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1020 });
  });

  it('is exact however sparse the readings', () => {
    const v = streamVerdict(readings(1010, 10, 2000, 270), 960, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1020 });
  });

  it('finds the first silence frame in the interval after the last sound', () => {
    // readings at 1050 (sound up to 1040) and 1100 (silence 1060 … 1100)
    const v = streamVerdict(readings(1050, 10, 2000), 960, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1060 });
  });

  it('a stream that simply ends stopped at its last packet', () => {
    const v = streamVerdict(readings(1110, 0, 2000), 960, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1100 });
  });

  it('sound until the last reading is flowing', () => {
    expect(streamVerdict(readings(5000, 0, 2000), 960, 2000, SIZES)).toEqual({
      kind: 'flowing',
    });
  });

  it('without a known silence size every packet counts as sound', () => {
    const v = streamVerdict(readings(1010, 10, 2000), 960, 2000, { sound: SOUND, silence: null });
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1200 });
  });

  it('a stream with one reading before the switch takes the common sound size', () => {
    const v = streamVerdict(readings(1010, 10, 2000, 270), 300, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1020 });
  });

  it('a stream first read after the switch is counted from its start', () => {
    const v = streamVerdict(readings(1010, 10, 2000, 270), 30, 2000, SIZES);
    expect(v).toEqual({ kind: 'stopped', lastSoundAt: 1020 });
  });

  it('without any sound size the stream is not measured', () => {
    const v = streamVerdict(readings(1010, 10, 2000), 30, 2000, { sound: null, silence: null });
    expect(v.kind).toBe('unmeasured');
  });
});

describe('packetSizes', () => {
  it('silence is the smallest packet after the click when clearly below sound', () => {
    const listeners = { a: { x: readings(1010, 10, 2000, 270), y: readings(1090, 10, 2000) } };
    expect(packetSizes(listeners, 960)).toEqual(SIZES);
  });

  it("silence is LiveKit's frame size when no interval held only silence", () => {
    expect(packetSizes({ a: { x: readings(5000, 0, 2000) } }, 960)).toEqual({
      sound: SOUND,
      silence: LIVEKIT_SILENCE_BYTES,
    });
  });
});

describe('listenerCut', () => {
  it('streams that all ended without a flush are stopped, not flowing', () => {
    const cut = listenerCut(
      { a: readings(1010, 0, 2000), b: readings(1030, 0, 2000) },
      960,
      SIZES,
      2000,
    );
    expect(cut).toMatchObject({ flowing: 0, stopped: 2 });
  });

  it('takes the latest blocked stream and counts the flowing ones', () => {
    const cut = listenerCut(
      {
        a: readings(1010, 10, 2000),
        b: readings(1090, 10, 2000),
        team: readings(9999, 0, 2000),
      },
      960,
      SIZES,
      2000,
    );
    expect(cut).toEqual({
      lastSoundMs: 1100 - 960,
      lastPacketMs: 1280 - 960,
      flowing: 1,
      stopped: 2,
      unmeasured: 0,
    });
  });
});
