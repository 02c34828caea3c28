// The production livekit-server config (issue 19, ADR 0022): several nodes sharing Redis,
// LiveKit's embedded TURN (UDP 3478 and TLS on 443), and no STUN or TURN server outside the
// deployment. `node --import tsx infra/deploy/livekit-production.ts` rewrites the generated files
// under infra/deploy/ (a test fails when they drift from this code).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where this node learns the address it gives clients for media and UDP TURN. */
export type NodeAddress =
  /** LiveKit's `NODE_IP` environment variable (Kubernetes: the node's IP; Compose: the host's). */
  | { readonly kind: 'env' }
  /** A fixed address. */
  | { readonly kind: 'fixed'; readonly ip: string }
  /**
   * Behind 1:1 NAT: LiveKit asks a STUN server for its public address at start-up. Only the
   * deployment's own STUN is asked (LiveKit asks Google's and Twilio's when none is named).
   */
  | { readonly kind: 'external' };

/** How TURN over TLS reaches this node: clients are always told `turns:<domain>:443`. */
export type TurnTls =
  /** A TLS-terminating proxy on 443 forwards plain TCP to `turnTcpPort` (Compose: Caddy). */
  | { readonly kind: 'proxy' }
  /** LiveKit terminates TLS itself on `turnTcpPort` with these files (a load balancer forwards 443). */
  | { readonly kind: 'own'; readonly certFile: string; readonly keyFile: string };

/** One node's ports. Two nodes on one host need distinct ones. */
export interface NodePorts {
  /** HTTP API and client signalling (WebSocket), behind the one client-facing URL. */
  readonly http: number;
  /** ICE over TCP, for clients whose network drops UDP to odd ports. */
  readonly rtcTcp: number;
  /** ICE over UDP, inclusive. */
  readonly rtcUdp: readonly [number, number];
  /** TURN over UDP; its port also answers STUN. */
  readonly turnUdp: number;
  /** TURN over TCP/TLS as LiveKit listens for it (clients reach it as 443). */
  readonly turnTcp: number;
  /** Ports TURN relays from, inclusive. */
  readonly relay: readonly [number, number];
  /** Prometheus metrics. */
  readonly prometheus: number;
}

export interface ProductionLivekit {
  /** The TURN/TLS name (`turns:<turnDomain>:443`); its UDP 3478 is also the deployment's STUN. */
  readonly turnDomain: string;
  /** The Redis all nodes share (`host:port`); its password comes from `REDIS_PASSWORD`. */
  readonly redisAddress: string;
  /** The signal service's webhook URL (one load-balanced address for all signal nodes). */
  readonly webhookUrl: string;
  /** Addresses the HTTP port binds (loopback behind a proxy on the same host). */
  readonly bindAddresses: readonly string[];
  readonly nodeAddress: NodeAddress;
  readonly turnTls: TurnTls;
  readonly ports: NodePorts;
}

/** The livekit-server config of one production node, as a plain object (JSON is YAML). */
export interface ProductionLivekitConfig {
  readonly port: number;
  readonly bind_addresses: readonly string[];
  readonly prometheus_port: number;
  readonly rtc: {
    readonly tcp_port: number;
    readonly port_range_start: number;
    readonly port_range_end: number;
    readonly use_external_ip: boolean;
    readonly node_ip?: string;
    readonly stun_servers: readonly string[];
  };
  readonly redis: { readonly address: string };
  readonly turn: {
    readonly enabled: true;
    readonly domain: string;
    readonly udp_port: number;
    readonly tls_port: number;
    readonly external_tls: boolean;
    readonly cert_file?: string;
    readonly key_file?: string;
    readonly relay_range_start: number;
    readonly relay_range_end: number;
  };
  readonly room: { readonly empty_timeout: number; readonly departure_timeout: number };
  readonly logging: { readonly level: string; readonly json: true };
  readonly webhook: { readonly urls: readonly string[] };
}

/** The STUN port of the deployment's own TURN (firewalls open UDP 3478 to it). */
export const STUN_PORT = 3478;

/**
 * What every production node runs with. Keys and secrets are never in it: livekit-server reads
 * `LIVEKIT_KEYS` ("key: secret"), `REDIS_PASSWORD`, `LIVEKIT_WEBHOOK_API_KEY` and `NODE_IP`
 * from its environment, which Compose and Helm fill from secrets.
 * - `redis`: nodes share rooms and route clients through it (LiveKit's own distributed mode).
 * - `turn`: UDP on `turnUdp` (3478 on every Kubernetes node) and TCP behind TLS on 443.
 * - `stun_servers`: the deployment's own STUN (the TURN name's UDP 3478), so no code path in
 *   LiveKit falls back to Google's and Twilio's public servers (ADR 0019).
 * - `turn_servers` is not set: clients are given no TURN server but the deployment's.
 * - `allow_restricted_peer_cidrs` is not set: TURN refuses to relay to private, loopback and
 *   link-local addresses, so it cannot reach into the deployment's own network.
 */
export function productionLivekitConfig(p: ProductionLivekit): ProductionLivekitConfig {
  const { ports } = p;
  const tls =
    p.turnTls.kind === 'own'
      ? { external_tls: false, cert_file: p.turnTls.certFile, key_file: p.turnTls.keyFile }
      : { external_tls: true };
  return {
    port: ports.http,
    bind_addresses: p.bindAddresses,
    prometheus_port: ports.prometheus,
    rtc: {
      tcp_port: ports.rtcTcp,
      port_range_start: ports.rtcUdp[0],
      port_range_end: ports.rtcUdp[1],
      use_external_ip: p.nodeAddress.kind === 'external',
      ...(p.nodeAddress.kind === 'fixed' ? { node_ip: p.nodeAddress.ip } : {}),
      stun_servers: [`${p.turnDomain}:${STUN_PORT}`],
    },
    redis: { address: p.redisAddress },
    turn: {
      enabled: true,
      domain: p.turnDomain,
      udp_port: ports.turnUdp,
      tls_port: ports.turnTcp,
      ...tls,
      relay_range_start: ports.relay[0],
      relay_range_end: ports.relay[1],
    },
    room: { empty_timeout: 300, departure_timeout: 20 },
    logging: { level: 'info', json: true },
    webhook: { urls: [p.webhookUrl] },
  };
}

/** The config file's text: JSON, which livekit-server reads as YAML. */
export function productionLivekitText(config: ProductionLivekitConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** Compose runs two nodes on one host (host networking), so their ports differ. */
const COMPOSE_NODES: readonly NodePorts[] = [
  {
    http: 7880,
    rtcTcp: 7881,
    rtcUdp: [50000, 54999],
    turnUdp: 3478,
    turnTcp: 5349,
    relay: [30000, 34999],
    prometheus: 6789,
  },
  {
    http: 7890,
    rtcTcp: 7891,
    rtcUdp: [55000, 59999],
    turnUdp: 3479,
    turnTcp: 5350,
    relay: [35000, 39999],
    prometheus: 6790,
  },
];

/** Kubernetes runs one node per host (host networking), all on the same ports. */
const KUBERNETES_NODE: NodePorts = {
  http: 7880,
  rtcTcp: 7881,
  rtcUdp: [50000, 60000],
  turnUdp: 3478,
  turnTcp: 5349,
  relay: [30000, 40000],
  prometheus: 6789,
};

/** Every generated file, by its path under infra/deploy/. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  COMPOSE_NODES.forEach((ports, i) => {
    files[`compose/livekit-${i + 1}.generated.yaml`] = productionLivekitText(
      productionLivekitConfig({
        // Compose interpolates nothing inside this file: the operator regenerates it for their
        // own names (docs/deploy.md) or edits the one name.
        turnDomain: 'turn.meet.example.org',
        redisAddress: '127.0.0.1:6380',
        webhookUrl: 'http://127.0.0.1:4000/api/livekit/webhook',
        bindAddresses: ['127.0.0.1'],
        nodeAddress: { kind: 'env' },
        turnTls: { kind: 'proxy' },
        ports,
      }),
    );
  });
  // The chart renders this file with `tpl`: the names come from its values.
  files['helm/polyphony/files/livekit.generated.yaml'] = productionLivekitText(
    productionLivekitConfig({
      turnDomain: '{{ .Values.domains.turn }}',
      redisAddress: '{{ .Release.Name }}-redis:6379',
      webhookUrl: 'http://{{ .Release.Name }}-signal:4000/api/livekit/webhook',
      bindAddresses: ['0.0.0.0'],
      nodeAddress: { kind: 'env' },
      turnTls: {
        kind: 'own',
        certFile: '/etc/livekit/turn-tls/tls.crt',
        keyFile: '/etc/livekit/turn-tls/tls.key',
      },
      ports: KUBERNETES_NODE,
    }),
  );
  return files;
}

export const DEPLOY_DIR = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of Object.entries(generatedFiles())) {
    writeFileSync(join(DEPLOY_DIR, path), text);
    process.stdout.write(`wrote infra/deploy/${path}\n`);
  }
}
