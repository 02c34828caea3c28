import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { RoomServiceClient } from 'livekit-server-sdk';
import { ManagedProcess, START_TIMEOUT_MS } from './process.ts';
import { freePort, freeUdpPort, freeUdpPortRange } from './ports.ts';
import { ROOT } from './paths.ts';

export interface LivekitKeys {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface LivekitOptions {
  readonly port?: number;
  readonly keys?: LivekitKeys;
  readonly webhookUrl?: string;
  /** Folder for the generated config (default: a fresh temp folder). */
  readonly dir?: string;
  readonly output?: string | 'inherit' | 'ignore';
  /** How long to wait for a graceful drain on stop before SIGKILL (tests hold nothing worth it). */
  readonly stopGraceMs?: number;
  /** How long one attempt may take to become ready (default `START_TIMEOUT_MS`). */
  readonly timeoutMs?: number;
  /** LiveKit's embedded TURN on loopback (default on: it is also the deployment's STUN). */
  readonly turn?: boolean;
  /**
   * A Redis shared by several livekit-server nodes (`host:port`): they then form one
   * deployment, each room on one node, reachable through any (one-machine cluster tests).
   */
  readonly redisAddress?: string;
  /**
   * The loopback address media candidates name instead of 127.0.0.1, where the impairment
   * relay listens on LiveKit's UDP port (see `impaired-livekit.ts`); LiveKit then also runs
   * ICE-lite, so it never checks a path of its own to a client. Needs `turn: false`.
   */
  readonly advertiseIp?: string;
  /**
   * Log level (default `warn`). At `info` or below the node logs its id at start, which
   * `nodeId` then holds (cluster tests find the node hosting a room by it).
   */
  readonly logLevel?: 'debug' | 'info' | 'warn';
}

export interface RunningLivekit extends LivekitKeys {
  /** ws:// URL for clients. */
  readonly url: string;
  /** http:// URL for the server API. */
  readonly httpUrl: string;
  readonly process: ManagedProcess;
  /** Every port it was told to listen on. */
  readonly ports: LivekitPorts;
  /** The config file it runs with. */
  readonly configPath: string;
  /** LiveKit's id of this node (`ND_…`), when it logged it (`logLevel` info or debug). */
  readonly nodeId?: string | undefined;
  stop(): Promise<void>;
}

export function generateLivekitKeys(): LivekitKeys {
  return {
    apiKey: `API${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(32).toString('base64url'),
  };
}

/** The binary: LIVEKIT_BIN, then `livekit-server` on PATH, then the one the bootstrap built. */
export function livekitBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIVEKIT_BIN && existsSync(env.LIVEKIT_BIN)) return env.LIVEKIT_BIN;
  for (const dir of (env.PATH ?? '').split(':')) {
    const p = join(dir, 'livekit-server');
    if (dir && existsSync(p)) return p;
  }
  const local = join(ROOT, '.tools/bin/livekit-server');
  if (existsSync(local)) return local;
  throw new Error('livekit-server not found: run `npm test` or `npm start` once to build it');
}

/** The ports one livekit-server listens on (all on 127.0.0.1). */
export interface LivekitPorts {
  /** HTTP API and client signalling (WebSocket). */
  readonly port: number;
  /** ICE over UDP: one muxed port for all media. */
  readonly udpPort: number;
  /** The embedded TURN server's UDP port (also the deployment's STUN server); none: no TURN. */
  readonly turnUdpPort?: number | undefined;
  /** Ports the TURN server relays from, inclusive. */
  readonly relayRange?: readonly [number, number] | undefined;
}

/** The livekit-server config a dev or test stack runs with, as a plain object. */
export interface LivekitConfig {
  readonly port: number;
  readonly bind_addresses: readonly string[];
  readonly rtc: {
    readonly udp_port: number;
    readonly tcp_port: 0;
    readonly use_external_ip: false;
    readonly node_ip: string;
    readonly enable_loopback_candidate: true;
    readonly ips: { readonly includes: readonly string[] };
    readonly stun_servers: readonly string[];
    /** Answers ICE checks only, never starts them (set behind the impairment relay). */
    readonly use_ice_lite?: true;
  };
  readonly turn?: {
    readonly enabled: true;
    readonly udp_port: number;
    readonly bind_addresses: readonly string[];
    readonly relay_range_start: number;
    readonly relay_range_end: number;
    readonly allow_restricted_peer_cidrs: readonly string[];
  };
  readonly keys: Readonly<Record<string, string>>;
  readonly room: { readonly empty_timeout: number; readonly departure_timeout: number };
  readonly logging: { readonly level: string };
  readonly webhook?: { readonly api_key: string; readonly urls: readonly string[] };
  readonly redis?: { readonly address: string };
}

/** Where everything of a dev or test LiveKit listens and what it tells clients to reach. */
export const LOOPBACK = '127.0.0.1';

/**
 * A config with which nothing leaves this machine's loopback (ADR 0019):
 * - media only on 127.0.0.1: `ips.includes` narrows the UDP mux to the loopback address and
 *   `enable_loopback_candidate` lets it use it; ICE over TCP is off (`tcp_port: 0`) because
 *   LiveKit v1.13.5 listens for it on every interface whatever `bind_addresses` says;
 * - no third party's STUN: LiveKit offers Google's and Twilio's public STUN servers to every
 *   client unless it has STUN or TURN of its own, so `stun_servers` names the deployment's own
 *   (the embedded TURN server's UDP port answers STUN; without TURN, LiveKit's own ICE port,
 *   which answers no bare STUN request, so clients simply learn no server-reflexive address);
 * - with `turnUdpPort`, LiveKit's embedded TURN on loopback, relaying from `relayRange` to
 *   LiveKit's own loopback media port (loopback peers are refused unless allowed).
 */
export function livekitConfig(o: {
  ports: LivekitPorts;
  keys: LivekitKeys;
  webhookUrl?: string | undefined;
  redisAddress?: string | undefined;
  advertiseIp?: string | undefined;
  logLevel?: 'debug' | 'info' | 'warn' | undefined;
}): LivekitConfig {
  const { port, udpPort, turnUdpPort, relayRange } = o.ports;
  if (turnUdpPort !== undefined && !relayRange) throw new Error('TURN needs a relay port range');
  if (o.advertiseIp !== undefined && turnUdpPort !== undefined)
    throw new Error('media behind a relay goes without TURN (it would bypass the relay)');
  return {
    port,
    bind_addresses: [LOOPBACK],
    rtc: {
      udp_port: udpPort,
      tcp_port: 0,
      use_external_ip: false,
      // An explicit node_ip is what LiveKit writes into its host candidates (a NAT 1:1 rewrite).
      node_ip: o.advertiseIp ?? LOOPBACK,
      enable_loopback_candidate: true,
      ips: { includes: [`${LOOPBACK}/32`] },
      stun_servers: [`${LOOPBACK}:${turnUdpPort ?? udpPort}`],
      ...(o.advertiseIp !== undefined ? { use_ice_lite: true as const } : {}),
    },
    ...(turnUdpPort !== undefined && relayRange
      ? {
          turn: {
            enabled: true,
            udp_port: turnUdpPort,
            bind_addresses: [LOOPBACK],
            relay_range_start: relayRange[0],
            relay_range_end: relayRange[1],
            allow_restricted_peer_cidrs: [`${LOOPBACK}/32`],
          },
        }
      : {}),
    keys: { [o.keys.apiKey]: o.keys.apiSecret },
    room: { empty_timeout: 300, departure_timeout: 20 },
    logging: { level: o.logLevel ?? 'warn' },
    ...(o.webhookUrl ? { webhook: { api_key: o.keys.apiKey, urls: [o.webhookUrl] } } : {}),
    ...(o.redisAddress ? { redis: { address: o.redisAddress } } : {}),
  };
}

/** The config file's text: JSON, which is YAML too (livekit-server reads it as YAML). */
export function livekitConfigText(config: LivekitConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** Relay ports per TURN server: one per peer connection (two per participant) relayed at once. */
const RELAY_PORTS = 100;

/** How many sets of ports are tried before giving up (another process may take any of them). */
const LIVEKIT_ATTEMPTS = 5;

/**
 * Starts livekit-server on loopback with its own config. livekit-server binds its ports itself
 * and exits when one is taken (EADDRINUSE), so each attempt takes fresh ports (the first tries
 * `port`, if given). It is ready when an API call signed with *our* keys succeeds: another
 * LiveKit that holds the port refuses our keys and is never taken for ours.
 */
export async function startLivekit(opts: LivekitOptions = {}): Promise<RunningLivekit> {
  const keys = opts.keys ?? generateLivekitKeys();
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'polyphony-livekit-'));
  const failures: string[] = [];
  for (let attempt = 0; attempt < LIVEKIT_ATTEMPTS; attempt++) {
    const port = attempt === 0 && opts.port ? opts.port : await freePort();
    const udpPort = await freeUdpPort();
    if (opts.advertiseIp !== undefined && opts.turn !== false)
      throw new Error('media behind a relay goes without TURN: pass turn: false');
    const turn = opts.turn === false ? null : await freeUdpPort();
    const ports: LivekitPorts = {
      port,
      udpPort,
      turnUdpPort: turn ?? undefined,
      relayRange: turn === null ? undefined : await freeUdpPortRange(RELAY_PORTS),
    };
    const configPath = join(dir, 'livekit.yaml');
    const config = livekitConfig({
      ports,
      keys,
      webhookUrl: opts.webhookUrl,
      redisAddress: opts.redisAddress,
      advertiseIp: opts.advertiseIp,
      logLevel: opts.logLevel,
    });
    writeFileSync(configPath, livekitConfigText(config), { mode: 0o600 });
    const proc = new ManagedProcess({
      name: 'livekit',
      command: livekitBinary(),
      args: ['--config', configPath],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      output: opts.output ?? 'ignore',
      capture: true,
    });
    const httpUrl = `http://127.0.0.1:${port}`;
    const rooms = new RoomServiceClient(httpUrl, keys.apiKey, keys.apiSecret);
    try {
      await waitUntil(() => rooms.listRooms().then(() => true), proc, opts.timeoutMs);
    } catch (err) {
      await proc.stop(300);
      failures.push((err as Error).message);
      if (!(err instanceof ExitedEarly)) break;
      continue;
    }
    return {
      ...keys,
      ports,
      configPath,
      get nodeId() {
        return /starting LiveKit server.*?"nodeID": "(ND_\w+)"/.exec(proc.captured.join(''))?.[1];
      },
      url: `ws://127.0.0.1:${port}`,
      httpUrl,
      process: proc,
      stop: () => proc.stop(opts.stopGraceMs ?? 300),
    };
  }
  throw new Error(`livekit-server did not start:\n${failures.join('\n')}`);
}

class ExitedEarly extends Error {}

/** Polls `ready` until it resolves true; fails at once when `proc` exits. */
async function waitUntil(
  ready: () => Promise<boolean>,
  proc: ManagedProcess,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) {
      const tail = proc.captured.join('').trim().split('\n').slice(-3).join('\n');
      throw new ExitedEarly(`livekit-server exited before it was ready: ${tail}`);
    }
    const probe = new Promise<boolean>((res) => {
      const timer = setTimeout(() => res(false), 5000);
      ready()
        .then(
          (ok) => res(ok),
          () => res(false),
        )
        .finally(() => clearTimeout(timer));
    });
    if (await probe) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`livekit-server was not ready within ${Math.round(timeoutMs / 1000)} s`);
}
