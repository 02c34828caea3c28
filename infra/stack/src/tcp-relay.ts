import { connect, createServer, type Socket } from 'node:net';
import { ConditionsBox, emptyCounters, type Conditions, type LinkCounters } from './impairment.ts';

/**
 * A user-space TCP relay with the impairment relay's conditions: every chunk read is delivered
 * after the one-way delay, in order. TCP cannot lose bytes, so a "lost" chunk costs what a
 * retransmission would (Linux's minimum RTO of 200 ms, or two delays if more), holding back
 * what follows it; a rate cap paces delivery; a cut stalls both directions until it ends (as
 * a dead link does; the endpoints' own keep-alives decide when to give up).
 */
export interface TcpRelay {
  readonly port: number;
  /** `http://127.0.0.1:<port>` or `ws://…`. */
  url(scheme?: 'http' | 'ws'): string;
  readonly conditions: ConditionsBox;
  /** Totals, client → server and server → client (`dropped`: chunks that paid a retransmission). */
  readonly up: LinkCounters;
  readonly down: LinkCounters;
  /** Connections open now. */
  readonly open: number;
  close(): Promise<void>;
}

/** Linux's minimum retransmission timeout. */
const MIN_RTO_MS = 200;
/** How often a stalled (cut) queue looks again. */
const CUT_POLL_MS = 25;

/** One direction of one connection: an ordered queue delivering chunks at their times. */
class OrderedPipe {
  private readonly queue: { at: number; chunk: Buffer }[] = [];
  private lastAt = 0;
  private busyUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly to: Socket,
    private readonly conditions: () => Conditions,
    private readonly counters: LinkCounters,
    private readonly random: () => number,
  ) {}

  push(chunk: Buffer): void {
    const c = this.conditions();
    const now = performance.now();
    let at = now + c.delayMs;
    if (c.rateKbps !== null && c.rateKbps > 0) {
      this.busyUntil = Math.max(now, this.busyUntil) + (chunk.length * 8) / c.rateKbps;
      at = this.busyUntil + c.delayMs;
    }
    if (c.loss > 0 && this.random() < c.loss) {
      this.counters.dropped++;
      at += Math.max(MIN_RTO_MS, 2 * c.delayMs);
    }
    this.lastAt = Math.max(this.lastAt, at);
    this.queue.push({ at: this.lastAt, chunk });
    this.counters.bytes += chunk.length;
    this.counters.packets++;
    this.arm();
  }

  /** Ends the far side once everything queued has gone. */
  end(): void {
    this.ended = true;
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private arm(): void {
    if (this.timer) return;
    const head = this.queue[0];
    if (!head) {
      if (this.ended && !this.to.destroyed) this.to.end();
      return;
    }
    const wait = this.conditions().cut ? CUT_POLL_MS : head.at - performance.now();
    this.timer = setTimeout(() => this.flush(), Math.max(0, wait));
  }

  private flush(): void {
    this.timer = null;
    if (this.to.destroyed) return this.stop();
    if (!this.conditions().cut) {
      const now = performance.now();
      while (this.queue[0] && this.queue[0].at <= now) this.to.write(this.queue.shift()!.chunk);
    }
    this.arm();
  }
}

export async function startTcpRelay(o: {
  /** The port to relay to on 127.0.0.1. */
  readonly target: number;
  readonly conditions?: Partial<Conditions>;
  readonly random?: () => number;
}): Promise<TcpRelay> {
  const conditions = new ConditionsBox(o.conditions);
  const current = () => conditions.current;
  const random = o.random ?? Math.random;
  const up = emptyCounters();
  const down = emptyCounters();
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: o.target, allowHalfOpen: true });
    track(client);
    track(upstream);
    const toServer = new OrderedPipe(upstream, current, up, random);
    const toClient = new OrderedPipe(client, current, down, random);
    client.on('data', (chunk: Buffer) => toServer.push(chunk));
    upstream.on('data', (chunk: Buffer) => toClient.push(chunk));
    // Each side's end (or loss) reaches the other after what is still queued for it.
    client.once('end', () => toServer.end());
    upstream.once('end', () => toClient.end());
    client.once('close', () => toServer.end());
    upstream.once('close', () => toClient.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: (scheme = 'http') => `${scheme}://127.0.0.1:${port}`,
    conditions,
    up,
    down,
    get open() {
      return sockets.size / 2;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
