import type { Conditions } from './impairment.ts';
import { startLivekit, type LivekitOptions, type RunningLivekit } from './livekit.ts';
import { startTcpRelay, type TcpRelay } from './tcp-relay.ts';
import { startUdpRelay, type UdpRelay } from './udp-relay.ts';

/** The second loopback address: the impairment relay's, named in LiveKit's ICE candidates. */
export const RELAY_IP = '127.0.0.2';

/**
 * A bad network between clients and LiveKit, on one machine without `tc netem` (ADR 0029):
 * LiveKit binds its UDP media port on 127.0.0.1 and advertises 127.0.0.2 with the same port,
 * where a user-space UDP relay delays and drops each datagram on its way through. Every
 * client's media crosses it (the only candidate; ICE-lite, no TURN). Signalling to LiveKit
 * crosses it only for clients that connect to `clientUrl` (the TCP relay) instead of
 * `livekit.url`; the server API and webhooks stay direct.
 */
export interface ImpairmentRelay {
  readonly udp: UdpRelay;
  readonly tcp: TcpRelay;
  /** `ws://` URL of LiveKit through the TCP relay. */
  readonly clientUrl: string;
  /** Changes the conditions of both relays at once (every path without its own). */
  set(change: Partial<Conditions>): void;
  close(): Promise<void>;
}

export interface ImpairedLivekit {
  readonly livekit: RunningLivekit;
  readonly relay: ImpairmentRelay;
  stop(): Promise<void>;
}

export async function startImpairmentRelay(
  livekit: RunningLivekit,
  conditions: Partial<Conditions> = {},
): Promise<ImpairmentRelay> {
  const udpPort = livekit.ports.udpPort;
  const udp = await startUdpRelay({
    listen: { host: RELAY_IP, port: udpPort },
    target: { host: '127.0.0.1', port: udpPort },
    conditions,
  });
  const tcp = await startTcpRelay({ target: livekit.ports.port, conditions }).catch(
    async (err: unknown) => {
      await udp.close();
      throw err;
    },
  );
  return {
    udp,
    tcp,
    clientUrl: tcp.url('ws'),
    set(change) {
      udp.conditions.set(change);
      tcp.conditions.set(change);
    },
    async close() {
      await Promise.all([udp.close(), tcp.close()]);
    },
  };
}

/** livekit-server whose media (and, through `clientUrl`, signalling) crosses the relay. */
export async function startImpairedLivekit(
  opts: Omit<LivekitOptions, 'turn' | 'advertiseIp'> & { conditions?: Partial<Conditions> } = {},
): Promise<ImpairedLivekit> {
  const { conditions, ...rest } = opts;
  const livekit = await startLivekit({ ...rest, turn: false, advertiseIp: RELAY_IP });
  const relay = await startImpairmentRelay(livekit, conditions).catch(async (err: unknown) => {
    await livekit.stop();
    throw err;
  });
  return {
    livekit,
    relay,
    async stop() {
      await relay.close();
      await livekit.stop();
    },
  };
}
