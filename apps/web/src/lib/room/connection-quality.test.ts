import { ConnectionQuality } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import {
  CALM,
  QUALITIES,
  QUALITY_BARS,
  WEAK_FOR_MS,
  declineAudioOnly,
  isWeak,
  nextReadingAt,
  qualityOf,
  watchQuality,
  type Quality,
  type WeakWatch,
} from './connection-quality.ts';

describe('qualityOf', () => {
  it('reads every value of livekit-client’s ConnectionQuality as itself', () => {
    const values = Object.values(ConnectionQuality) as string[];
    expect(values.sort()).toEqual([...QUALITIES].sort());
    for (const value of values) expect(qualityOf(value)).toBe(value);
  });

  it('reads anything else as unknown, never as good', () => {
    for (const value of [undefined, '', 'Excellent', 'great', 'bad'])
      expect(qualityOf(value)).toBe('unknown');
  });

  it('draws fewer bars for a worse connection', () => {
    const table: [Quality, number, boolean][] = [
      ['excellent', 3, false],
      ['good', 2, false],
      ['poor', 1, true],
      ['lost', 0, true],
      ['unknown', 0, false],
    ];
    for (const [quality, bars, weak] of table) {
      expect(QUALITY_BARS[quality], quality).toBe(bars);
      expect(isWeak(quality), quality).toBe(weak);
    }
  });
});

/** Feeds readings `[at, quality]` in order; returns the watch after each. */
function run(
  readings: readonly (readonly [number, Quality])[],
  audioOnly = false,
  start: WeakWatch = CALM,
): WeakWatch[] {
  const out: WeakWatch[] = [];
  let watch = start;
  for (const [at, quality] of readings) {
    watch = watchQuality(watch, quality, at, audioOnly);
    out.push(watch);
  }
  return out;
}

describe('watchQuality: audio only is proposed when one’s own connection stays weak', () => {
  const S = WEAK_FOR_MS;

  it('proposes after the connection has been weak for the whole wait, not before', () => {
    const proposed = run([
      [0, 'good'],
      [1000, 'poor'],
      [1000 + S - 1, 'poor'],
      [1000 + S, 'poor'],
      [1000 + S + 5000, 'lost'],
    ]).map((w) => w.propose);
    expect(proposed).toEqual([false, false, false, true, true]);
  });

  it('starts over after any recovery in between', () => {
    const watches = run([
      [0, 'poor'],
      [S - 1000, 'good'],
      [S, 'poor'],
      [S + S - 1, 'poor'],
      [S + S, 'poor'],
    ]);
    expect(watches.map((w) => w.propose)).toEqual([false, false, false, false, true]);
    expect(watches.map((w) => w.weakSince)).toEqual([0, null, S, S, S]);
  });

  it('never proposes to someone already on audio only, nor on an unmeasured connection', () => {
    expect(
      run(
        [
          [0, 'poor'],
          [S * 3, 'poor'],
        ],
        true,
      ).some((w) => w.propose),
    ).toBe(false);
    expect(
      run([
        [0, 'unknown'],
        [S * 3, 'unknown'],
      ]).some((w) => w.propose),
    ).toBe(false);
  });

  it('after "not now", stays quiet until the connection recovers and weakens again', () => {
    const proposed = run([
      [0, 'poor'],
      [S, 'poor'],
    ]);
    const declined = declineAudioOnly(proposed[1]!);
    expect(declined.propose).toBe(false);
    const after = run(
      [
        [S * 5, 'poor'],
        [S * 6, 'good'],
        [S * 7, 'poor'],
        [S * 8, 'poor'],
      ],
      false,
      declined,
    );
    expect(after.map((w) => w.propose)).toEqual([false, false, false, true]);
  });

  it('says when to read again so that the proposal comes in time', () => {
    const [weak] = run([[500, 'poor']]);
    expect(nextReadingAt(weak!, false)).toBe(500 + S);
    expect(nextReadingAt(weak!, true)).toBeNull();
    expect(nextReadingAt(CALM, false)).toBeNull();
    expect(nextReadingAt(declineAudioOnly(weak!), false)).toBeNull();
    expect(nextReadingAt(watchQuality(weak!, 'poor', 500 + S, false), false)).toBeNull();
  });
});
