import { connect, createServer, type Socket } from 'node:net';

/**
 * A small TCP load balancer on loopback for one-machine cluster tests: one port in front of
 * several servers, each new connection sent to the next target (round robin) that accepts it,
 * so a dead target is passed over. Bytes are relayed untouched (HTTP, WebSocket upgrades).
 */
export interface TcpBalancer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` (or `ws://…`). */
  url(scheme?: 'http' | 'ws'): string;
  /** The ports connections go to; may be changed at any time. */
  targets: number[];
  /** Stops listening and cuts every relayed connection. */
  close(): Promise<void>;
}

export async function startTcpBalancer(targets: number[] = []): Promise<TcpBalancer> {
  const open = new Set<Socket>();
  let next = 0;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    client.pause();
    const order = balancer.targets.map(
      (_, i) => balancer.targets[(next + i) % balancer.targets.length]!,
    );
    next = (next + 1) % Math.max(1, balancer.targets.length);
    const attempt = (i: number) => {
      if (i >= order.length || client.destroyed) return client.destroy();
      const upstream = connect({ host: '127.0.0.1', port: order[i]! });
      let connected = false;
      upstream.on('error', () => {
        if (connected) upstream.destroy();
        else attempt(i + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        track(upstream);
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const balancer: TcpBalancer = {
    port,
    url: (scheme = 'http') => `${scheme}://127.0.0.1:${port}`,
    targets,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return balancer;
}
