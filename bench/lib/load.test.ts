import { describe, expect, it } from 'vitest';
import { dueAt, fanoutDelays, openLoop } from './load.ts';

/** A virtual clock: sleeping lets every settled answer be handled, then moves the clock. */
function virtualClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      await new Promise((r) => setImmediate(r));
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('open-loop load', () => {
  it('spaces requests evenly at the rate', () => {
    expect([0, 1, 2, 500].map((i) => dueAt(i, 500))).toEqual([0, 2, 4, 1000]);
  });

  it('sends rate × seconds requests and times each one from its due time', async () => {
    const clock = virtualClock();
    const sent: number[] = [];
    const result = await openLoop({
      perSecond: 100,
      seconds: 0.05,
      now: clock.now,
      sleep: clock.sleep,
      send: async (i) => {
        sent.push(clock.now());
        await Promise.resolve();
        return i !== 2;
      },
    });
    expect(sent).toEqual([0, 10, 20, 30, 40]);
    expect(result.latenciesMs).toEqual([0, 0, 0, 0, 0]);
    expect(result.failures).toBe(1);
  });

  it('a late generator or a slow answer counts from the due time, not the send', async () => {
    const clock = virtualClock();
    const result = await openLoop({
      perSecond: 100,
      seconds: 0.03,
      now: clock.now,
      sleep: clock.sleep,
      send: async (i) => {
        // the first request stalls the generator for 25 ms before it is even sent
        if (i === 0) clock.advance(25);
        return true;
      },
    });
    // request 1 was due at 10 and request 2 at 20, but both went out at 25
    expect(result.latenciesMs).toEqual([25, 15, 5]);
  });

  it('a request sent a little early is timed from its sending', async () => {
    const clock = virtualClock();
    const result = await openLoop({
      perSecond: 1000,
      seconds: 0.002,
      now: clock.now,
      sleep: clock.sleep,
      send: async () => {
        clock.advance(0.4);
        return true;
      },
    });
    // request 1 is due at 1 but the generator does not sleep under a millisecond: sent at 0.4
    expect(result.latenciesMs.map((v) => Number(v.toFixed(1)))).toEqual([0.8, 0.4]);
  });

  it('a thrown send is a failure with its time kept', async () => {
    const clock = virtualClock();
    const result = await openLoop({
      perSecond: 10,
      seconds: 0.1,
      now: clock.now,
      sleep: clock.sleep,
      send: () => Promise.reject(new Error('refused')),
    });
    expect(result.failures).toBe(1);
    expect(result.latenciesMs).toHaveLength(1);
  });
});

describe('fan-out delays', () => {
  it('times each event to its last socket and counts events a socket missed', () => {
    const stamps = new Map([
      [1, 100],
      [2, 200],
      [3, 300],
    ]);
    const arrivals = new Map([
      [1, [101, 104, 102]],
      [2, [203, 201]],
      [3, [300, 300, 309]],
    ]);
    expect(fanoutDelays(stamps, arrivals, 3)).toEqual({ delaysMs: [4, 9], missing: 1 });
  });
});
