import { describe, expect, it } from 'vitest';
import {
  BAD_NETWORK,
  ConditionsBox,
  DelayQueue,
  ImpairedLink,
  MAX_QUEUE_MS,
  type Conditions,
} from './impairment.ts';

const link = (c: Partial<Conditions>) => {
  const box = new ConditionsBox(c);
  return { box, link: new ImpairedLink(() => box.current) };
};

describe('impairment link', () => {
  it('delays every packet by the one-way delay when nothing else applies', () => {
    const { link: l } = link({ delayMs: 50 });
    for (let t = 0; t < 100; t += 10) expect(l.schedule(200, t)).toBe(50);
    expect(l.counters).toEqual({ bytes: 2000, packets: 10, dropped: 0 });
  });

  it('loses about the configured share of many packets', () => {
    const { link: l } = link(BAD_NETWORK);
    const n = 20_000;
    for (let i = 0; i < n; i++) l.schedule(100, i);
    const share = l.counters.dropped / n;
    // 2 %: the standard error over 20 000 packets is 0.1 %; these bounds are ten of it.
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.03);
    expect(l.counters.packets + l.counters.dropped).toBe(n);
  });

  it('paces packets at the rate cap, then drops what would queue too long', () => {
    // 80 kbit/s: a 1000-byte packet takes 100 ms to send.
    const { link: l } = link({ rateKbps: 80 });
    expect(l.schedule(1000, 0)).toBe(100);
    expect(l.schedule(1000, 0)).toBe(200);
    const queued = Math.floor(MAX_QUEUE_MS / 100) + 2;
    const answers = Array.from({ length: queued }, () => l.schedule(1000, 0));
    expect(answers.at(-1)).toBeNull();
    expect(l.counters.dropped).toBeGreaterThan(0);
  });

  it('drops everything while cut, and carries again once the cut ends', () => {
    const { box, link: l } = link({ delayMs: 10 });
    box.set({ cut: true });
    for (let i = 0; i < 50; i++) expect(l.schedule(100, i)).toBeNull();
    box.set({ cut: false });
    expect(l.schedule(100, 60)).toBe(10);
  });

  it('refuses conditions that mean nothing', () => {
    const box = new ConditionsBox();
    expect(() => box.set({ loss: 1.5 })).toThrow();
    expect(() => box.set({ delayMs: -1 })).toThrow();
    expect(box.current.loss).toBe(0);
  });
});

describe('delay queue', () => {
  it('delivers in order, each no earlier than its time, an early one after the one ahead', async () => {
    const got: { n: number; at: number }[] = [];
    const q = new DelayQueue<number>((n) => got.push({ n, at: performance.now() }));
    const t0 = performance.now();
    q.push(1, 30);
    q.push(2, 10); // due before 1: waits for it
    q.push(3, 40);
    while (got.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(got.map((g) => g.n)).toEqual([1, 2, 3]);
    expect(got[0]!.at - t0).toBeGreaterThanOrEqual(29);
    expect(got[2]!.at - t0).toBeGreaterThanOrEqual(39);
    q.stop();
  });
});
