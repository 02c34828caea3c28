import { createSocket, type Socket } from 'node:dgram';
import { createServer, connect, type Server, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpRelay } from './tcp-relay.ts';
import { ConditionsBox } from './impairment.ts';
import { startUdpRelay, type UdpRelay } from './udp-relay.ts';

// The impairment relay's own sockets, on loopback: a UDP echo server behind the UDP relay and a
// TCP echo server behind the TCP relay. Times are printed; the assertions are lower bounds (a
// packet cannot arrive before its delay) and generous statistical bounds.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(20);
  }
}

function bound(host = '127.0.0.1'): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.bind(0, host, () => resolve(s)));
}

describe('UDP relay', () => {
  let echo: Socket;
  let relay: UdpRelay;
  let client: Socket;
  /** Arrival time of each echoed packet, by sequence number. */
  const arrived = new Map<number, number>();

  beforeAll(async () => {
    echo = await bound();
    echo.on('message', (msg, from) => echo.send(msg, from.port, from.address));
    relay = await startUdpRelay({
      listen: { host: '127.0.0.2', port: 0 },
      target: { host: '127.0.0.1', port: echo.address().port },
    });
    client = await bound();
    client.on('message', (msg) => arrived.set(msg.readUInt32BE(0), performance.now()));
  });
  afterAll(async () => {
    await relay.close();
    client.close();
    echo.close();
  });

  /** Sends `n` numbered packets every `everyMs` ms; returns their send times. */
  async function send(
    from: number,
    n: number,
    everyMs = 1,
    burst = 1,
  ): Promise<Map<number, number>> {
    const sent = new Map<number, number>();
    for (let i = from; i < from + n; i++) {
      const buf = Buffer.alloc(200);
      buf.writeUInt32BE(i, 0);
      sent.set(i, performance.now());
      client.send(buf, relay.port, relay.host);
      if (everyMs > 0 && (i - from) % burst === burst - 1) await sleep(everyMs);
    }
    return sent;
  }

  it('delays each packet by the one-way delay each way (a 100 ms round trip)', async () => {
    relay.conditions.set({ delayMs: 50, loss: 0 });
    const sent = await send(0, 50, 5);
    await poll(() => [...sent.keys()].every((i) => arrived.has(i)));
    const rtts = [...sent].map(([i, t]) => arrived.get(i)! - t).sort((a, b) => a - b);
    console.log(
      `[relay] round trip at 2 × 50 ms: min ${rtts[0]!.toFixed(1)}, median ${rtts[25]!.toFixed(1)} ms`,
    );
    // Timers fire on whole milliseconds: a packet may come a hair under its 100 ms, never less.
    expect(rtts[0]).toBeGreaterThanOrEqual(98);
    expect(relay.sessions()).toHaveLength(1);
    expect(relay.up.packets).toBe(50);
    expect(relay.down.packets).toBe(50);
  });

  it('loses about the configured share of many packets, each way', async () => {
    relay.conditions.set({ delayMs: 0, loss: 0.1 });
    const before = { up: relay.up.dropped, down: relay.down.dropped };
    const n = 2000;
    // Ten packets a millisecond: no more than loopback's socket buffers take without loss.
    const sent = await send(1000, n, 1, 10);
    await sleep(500);
    const back = [...sent.keys()].filter((i) => arrived.has(i)).length;
    console.log(
      `[relay] 10 % loss each way: ${back} of ${n} came back (expected about ${0.81 * n})`,
    );
    // Expected 81 % back, standard error about 0.9 %; bounds of ±8 %. (Loopback does not lose
    // datagrams by itself at this rate; any loss of its own would only widen the gap.)
    expect(back / n).toBeGreaterThan(0.73);
    expect(back / n).toBeLessThan(0.89);
    expect(relay.up.dropped - before.up).toBeGreaterThan(0);
    expect(relay.down.dropped - before.down).toBeGreaterThan(0);
  });

  it('drops everything while cut, and carries again when the cut ends', async () => {
    relay.conditions.set({ delayMs: 0, loss: 0, cut: true });
    const sent = await send(5000, 100, 1);
    await sleep(300);
    expect([...sent.keys()].filter((i) => arrived.has(i))).toEqual([]);
    relay.conditions.set({ cut: false });
    const again = await send(6000, 10, 1);
    await poll(() => [...again.keys()].every((i) => arrived.has(i)));
  });

  it('impairs only the clients picked (now and later), and the undo restores them', async () => {
    relay.conditions.set({ delayMs: 0, loss: 0, cut: false });
    const other = await bound();
    const otherArrived = new Set<number>();
    other.on('message', (msg) => otherArrived.add(msg.readUInt32BE(0)));
    const late = await bound();
    const lateArrived = new Set<number>();
    late.on('message', (msg) => lateArrived.add(msg.readUInt32BE(0)));
    const ports = new Set([client.address().port, late.address().port]);
    const undo = relay.impairClients(
      (c) => ports.has(Number(c.split(':')[1])),
      new ConditionsBox({ cut: true }),
    );
    const packet = (i: number) => {
      const buf = Buffer.alloc(200);
      buf.writeUInt32BE(i, 0);
      return buf;
    };
    const sent = await send(7000, 20, 1);
    for (let i = 7100; i < 7120; i++) other.send(packet(i), relay.port, relay.host);
    // A session first seen after the pick (a new peer connection of the same page) is cut too.
    for (let i = 7200; i < 7220; i++) late.send(packet(i), relay.port, relay.host);
    await poll(() => otherArrived.size === 20);
    await sleep(300);
    expect([...sent.keys()].filter((i) => arrived.has(i))).toEqual([]);
    expect(lateArrived.size).toBe(0);
    const cutSessions = relay.sessions().filter((s) => s.conditions?.current.cut === true);
    expect(cutSessions.map((s) => Number(s.client.split(':')[1])).sort()).toEqual(
      [...ports].sort(),
    );

    undo();
    expect(relay.sessions().every((s) => s.conditions === null)).toBe(true);
    const again = await send(7300, 10, 1);
    await poll(() => [...again.keys()].every((i) => arrived.has(i)));
    other.close();
    late.close();
  });

  it('caps the rate: packets beyond the cap arrive spread out, and a flood is cut down', async () => {
    // 160 kbit/s: a 200-byte packet every 10 ms; 200 at once need 2 s, beyond the 500 ms queue.
    relay.conditions.set({ rateKbps: 160 });
    const droppedBefore = relay.up.dropped;
    const sent = await send(8000, 200, 0);
    await sleep(1500);
    const times = [...sent.keys()].map((i) => arrived.get(i)).filter((t) => t !== undefined);
    const spread = Math.max(...times) - Math.min(...times);
    console.log(
      `[relay] 200 packets at 160 kbit/s: ${times.length} arrived over ${spread.toFixed(0)} ms`,
    );
    expect(times.length).toBeLessThan(150);
    expect(spread).toBeGreaterThan(300);
    // The relay's own count: the queue (500 ms ≈ 50 packets) took what it could, dropped the rest.
    expect(relay.up.dropped - droppedBefore).toBeGreaterThan(100);
    relay.conditions.set({ rateKbps: null });
  });
});

describe('TCP relay', () => {
  let echo: Server;
  beforeAll(async () => {
    echo = createServer((s) => {
      accepted.add(s);
      s.on('close', () => accepted.delete(s));
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  });
  // A failed test leaves its connection open; close() would wait for it for ever.
  const accepted = new Set<TcpSocket>();
  afterAll(
    () =>
      new Promise<void>((r) => {
        for (const s of accepted) s.destroy();
        echo.close(() => r());
      }),
  );

  it('delays both ways in order, stalls while cut, and resumes', async () => {
    const address = echo.address();
    const relay = await startTcpRelay({
      target: typeof address === 'object' && address ? address.port : 0,
      conditions: { delayMs: 50 },
    });
    const socket = connect({ host: '127.0.0.1', port: relay.port });
    await new Promise((r) => socket.once('connect', r));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    const t0 = performance.now();
    socket.write('hello ');
    await poll(() => got === 'hello ');
    const rtt = performance.now() - t0;
    console.log(`[relay] TCP round trip at 2 × 50 ms: ${rtt.toFixed(1)} ms`);
    expect(rtt).toBeGreaterThanOrEqual(98);

    relay.conditions.set({ cut: true });
    socket.write('during the cut');
    await sleep(400);
    expect(got).toBe('hello ');
    relay.conditions.set({ cut: false, loss: 0.5 });
    // Each write its own chunk (a pause between them), so that 40 chunks each pay the loss at
    // 1 in 2: all of them getting through would be 1 in 2⁴⁰, not a coalesced few.
    for (let i = 0; i < 40; i++) {
      socket.write(` ${i}`);
      await sleep(5);
    }
    const expected =
      'hello during the cut' + Array.from({ length: 40 }, (_, i) => ` ${i}`).join('');
    try {
      await poll(() => got === expected);
      expect(relay.up.dropped + relay.down.dropped).toBeGreaterThan(0);
    } finally {
      socket.destroy();
      await relay.close();
    }
  });
});
