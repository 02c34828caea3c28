import { createSocket, type Socket } from 'node:dgram';
import {
  ConditionsBox,
  DelayQueue,
  emptyCounters,
  ImpairedLink,
  type Conditions,
  type LinkCounters,
} from './impairment.ts';

/** One client address seen by the relay, with its own upstream socket and counters. */
export interface UdpSession {
  /** `address:port` the client sends from. */
  readonly client: string;
  /** When its first packet arrived (performance.now()). */
  readonly since: number;
  /** Client → server. */
  readonly up: LinkCounters;
  /** Server → client. */
  readonly down: LinkCounters;
  /** Conditions for this path only, overriding the relay's (null: the relay's). */
  conditions: ConditionsBox | null;
}

export interface UdpRelay {
  readonly host: string;
  readonly port: number;
  /** The conditions every path has unless it has its own. */
  readonly conditions: ConditionsBox;
  /** Totals over every session: client → server and server → client. */
  readonly up: LinkCounters;
  readonly down: LinkCounters;
  sessions(): readonly UdpSession[];
  /**
   * Gives every session whose client address (`address:port`) matches, now and later, these
   * conditions of its own: one page's network, picked by the ports its peer connections use.
   * Returns the undo, which puts those sessions back on the relay's conditions.
   */
  impairClients(match: (client: string) => boolean, conditions: ConditionsBox): () => void;
  close(): Promise<void>;
}

export interface UdpRelayOptions {
  /** Where clients send (the address the ICE candidate names). */
  readonly listen: { readonly host: string; readonly port: number };
  /** Where the relay forwards to. */
  readonly target: { readonly host: string; readonly port: number };
  readonly conditions?: Partial<Conditions>;
  readonly random?: () => number;
}

interface Path extends UdpSession {
  readonly socket: Socket;
  readonly upLink: ImpairedLink;
  readonly downLink: ImpairedLink;
  readonly toServer: DelayQueue<Buffer>;
}

/**
 * A user-space UDP relay (a NAT with `netem` on it): each client address gets its own socket
 * towards the target, so the server sees one peer per client and its answers go back to the
 * client from the address the client sent to. Each datagram is delayed, dropped or queued
 * by the path's conditions, independently in each direction.
 */
export async function startUdpRelay(o: UdpRelayOptions): Promise<UdpRelay> {
  const conditions = new ConditionsBox(o.conditions);
  const random = o.random ?? Math.random;
  const up = emptyCounters();
  const down = emptyCounters();
  const paths = new Map<string, Path>();
  const queues: DelayQueue<Buffer>[] = [];
  const rules: { match: (client: string) => boolean; box: ConditionsBox }[] = [];
  let closed = false;

  const front = createSocket('udp4');
  front.on('error', () => undefined);

  const open = async (client: string, address: string, port: number): Promise<Path> => {
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    let own: ConditionsBox | null = rules.find((r) => r.match(client))?.box ?? null;
    const current = () => (own ?? conditions).current;
    const upLink = new ImpairedLink(current, random, up);
    const downLink = new ImpairedLink(current, random, down);
    const toServer = new DelayQueue<Buffer>((msg) =>
      socket.send(msg, o.target.port, o.target.host),
    );
    const toClient = new DelayQueue<Buffer>((msg) => front.send(msg, port, address));
    queues.push(toServer, toClient);
    const path: Path = {
      toServer,
      client,
      since: performance.now(),
      socket,
      upLink,
      downLink,
      up: upLink.counters,
      down: downLink.counters,
      get conditions() {
        return own;
      },
      set conditions(box) {
        own = box;
      },
    };
    socket.on('message', (msg) => {
      const ms = path.downLink.schedule(msg.length, performance.now());
      if (ms !== null) toClient.push(msg, ms);
    });
    await new Promise<void>((resolve) => socket.bind(0, o.target.host, resolve));
    return path;
  };

  const opening = new Map<string, Promise<Path>>();
  front.on('message', (msg, rinfo) => {
    const client = `${rinfo.address}:${rinfo.port}`;
    const now = performance.now();
    const known = paths.get(client);
    const forward = (path: Path) => {
      const ms = path.upLink.schedule(msg.length, now);
      if (ms !== null) path.toServer.push(msg, ms);
    };
    if (known) return forward(known);
    let pending = opening.get(client);
    if (!pending) {
      pending = open(client, rinfo.address, rinfo.port).then((path) => {
        paths.set(client, path);
        opening.delete(client);
        return path;
      });
      opening.set(client, pending);
    }
    void pending.then((path) => (closed ? undefined : forward(path)));
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.bind(o.listen.port, o.listen.host, () => {
      front.off('error', reject);
      resolve();
    });
  });

  return {
    host: o.listen.host,
    port: front.address().port,
    conditions,
    up,
    down,
    sessions: () => [...paths.values()],
    impairClients(match, box) {
      const rule = { match, box };
      rules.unshift(rule);
      for (const path of paths.values()) if (match(path.client)) path.conditions = box;
      return () => {
        const at = rules.indexOf(rule);
        if (at >= 0) rules.splice(at, 1);
        for (const path of paths.values()) {
          if (path.conditions !== box) continue;
          path.conditions = rules.find((r) => r.match(path.client))?.box ?? null;
        }
      };
    },
    async close() {
      closed = true;
      for (const q of queues) q.stop();
      await Promise.allSettled(opening.values());
      const sockets = [front, ...[...paths.values()].map((p) => p.socket)];
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
