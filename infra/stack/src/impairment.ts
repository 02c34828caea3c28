/**
 * Network conditions for the impairment relay (`tc netem` in user space): what one direction of
 * a path does to each packet. Pure scheduling, no sockets; the relays in `udp-relay.ts` and
 * `tcp-relay.ts` ask a {@link ImpairedLink} when (or whether) to deliver what they read.
 */
export interface Conditions {
  /** One-way delay added in each direction (50 ms each way: 100 ms round trip). */
  readonly delayMs: number;
  /** Probability that a packet is lost, in each direction (0.02: 2 %). */
  readonly loss: number;
  /** Bandwidth cap per direction in kbit/s; null: none. Over it, packets queue, then drop. */
  readonly rateKbps: number | null;
  /** Drop everything (UDP) or stall everything (TCP): the network is gone. */
  readonly cut: boolean;
}

export const CLEAR: Conditions = { delayMs: 0, loss: 0, rateKbps: null, cut: false };

/** 100 ms round trip and 2 % loss each way: the "bad network". */
export const BAD_NETWORK: Conditions = { delayMs: 50, loss: 0.02, rateKbps: null, cut: false };

/** How much a rate-capped link queues before it drops (a router's buffer, in time). */
export const MAX_QUEUE_MS = 500;

/** Bytes and packets that went one way, and packets that were lost on the way. */
export interface LinkCounters {
  bytes: number;
  packets: number;
  dropped: number;
}

export function emptyCounters(): LinkCounters {
  return { bytes: 0, packets: 0, dropped: 0 };
}

/**
 * One direction of a path. `schedule` returns in how many ms a packet of `size` bytes read at
 * `now` is to be delivered, or null when it is lost (cut, random loss, or a full rate queue).
 * Counters count what was delivered (when scheduled) and what was dropped.
 */
export class ImpairedLink {
  readonly counters: LinkCounters = emptyCounters();
  /** When the rate-capped link finishes sending what it already holds. */
  private busyUntil = 0;

  constructor(
    private readonly conditions: () => Conditions,
    private readonly random: () => number = Math.random,
    /** Counters this link also adds to (a relay's totals). */
    private readonly totals: LinkCounters | null = null,
  ) {}

  schedule(size: number, now: number): number | null {
    const c = this.conditions();
    if (c.cut || (c.loss > 0 && this.random() < c.loss)) return this.drop();
    let sent = now;
    if (c.rateKbps !== null && c.rateKbps > 0) {
      const start = Math.max(now, this.busyUntil);
      if (start - now > MAX_QUEUE_MS) return this.drop();
      // kbit/s is bits per ms.
      this.busyUntil = start + (size * 8) / c.rateKbps;
      sent = this.busyUntil;
    }
    for (const k of this.totals ? [this.counters, this.totals] : [this.counters]) {
      k.bytes += size;
      k.packets++;
    }
    return sent - now + c.delayMs;
  }

  private drop(): null {
    this.counters.dropped++;
    if (this.totals) this.totals.dropped++;
    return null;
  }
}

/**
 * Holds conditions that tests change while traffic flows: one set for every path, and
 * optionally one per path (a single page's network) that overrides it.
 */
export class ConditionsBox {
  private value: Conditions;

  constructor(initial: Partial<Conditions> = {}) {
    this.value = { ...CLEAR, ...initial };
  }

  get current(): Conditions {
    return this.value;
  }

  /** Changes some conditions; the rest stay. */
  set(change: Partial<Conditions>): Conditions {
    const next = { ...this.value, ...change };
    if (next.delayMs < 0 || !(next.loss >= 0 && next.loss <= 1))
      throw new Error('delay must be ≥ 0 and loss within 0..1');
    this.value = next;
    return next;
  }
}

/**
 * Delivers items in order at their times with one timer (not one per packet: a relay carries
 * thousands of packets a second). An item due before the one ahead of it waits for it, as in
 * a router's queue.
 */
export class DelayQueue<T> {
  private readonly items: { at: number; item: T }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deliver: (item: T) => void) {}

  /** Delivers `item` in `ms` ms (or after what is queued ahead of it). */
  push(item: T, ms: number): void {
    if (this.stopped) return;
    this.items.push({ at: performance.now() + ms, item });
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.items.length = 0;
  }

  private arm(): void {
    if (this.timer || this.head >= this.items.length) return;
    const wait = this.items[this.head]!.at - performance.now();
    this.timer = setTimeout(() => this.flush(), Math.max(0, wait));
  }

  private flush(): void {
    this.timer = null;
    const now = performance.now();
    // A timer may fire a fraction of a millisecond early.
    while (this.head < this.items.length && this.items[this.head]!.at <= now + 0.5) {
      this.deliver(this.items[this.head++]!.item);
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  }
}
