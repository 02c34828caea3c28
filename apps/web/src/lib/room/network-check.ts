import type { NetworkCheckResponse, TurnProbe } from '@polyphony/protocol';
import { endpointPath } from '$lib/api/paths.ts';

/**
 * The pre-join network check: whether media can reach this deployment's LiveKit from the
 * person's network, over each way it may travel. UDP and TLS are tried as TURN allocations
 * against the deployment's own TURN server (a relayed address means the way is open); TCP is
 * the media server's own address answering over HTTP(S), as pages reach it. Each way runs at
 * once with its own time limit, so the whole check ends in well under a minute.
 */
export const NETWORK_PATHS = ['udp', 'tcp', 'tls'] as const;
export type NetworkPath = (typeof NETWORK_PATHS)[number];

/** `not_offered`: this deployment names no such way (its TURN is off, or has no TLS). */
export type PathResult = 'reachable' | 'blocked' | 'not_offered';

export interface PathReport {
  readonly result: PathResult;
  /** The host and port tried, for "ask your IT team to allow …". */
  readonly address: string | null;
}

export type NetworkReport = Readonly<Record<NetworkPath, PathReport>>;

/** How long each way may take before it counts as blocked. */
export const PATH_TIMEOUT_MS = 12_000;

export interface NetworkCheckDeps {
  readonly fetch: typeof fetch;
  readonly createPeerConnection: (config: RTCConfiguration) => RTCPeerConnection;
  readonly timeoutMs?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isProbe = (v: unknown): v is TurnProbe =>
  isObject(v) &&
  Object.keys(v).length === 3 &&
  isText(v.urls) &&
  isText(v.username) &&
  isText(v.credential);

/** The answer of `GET /api/invites/:token/network-check`, checked structurally. */
export const isNetworkCheck = (v: unknown): v is NetworkCheckResponse =>
  isObject(v) &&
  Object.keys(v).length === 3 &&
  isText(v.mediaServer) &&
  (v.udp === null || isProbe(v.udp)) &&
  (v.tls === null || isProbe(v.tls));

/** `host:port` of a TURN or HTTP URL. */
export function addressOf(url: string): string {
  const bare = url.replace(/^turns?:/, '').replace(/\?.*$/, '');
  if (!/^[a-z]+:\/\//i.test(url)) return bare;
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${parsed.hostname}:${port}`;
}

/** Whether a TURN server gives this browser a relayed address within the time limit. */
export function relayReachable(
  probe: TurnProbe,
  create: NetworkCheckDeps['createPeerConnection'],
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    let pc: RTCPeerConnection;
    try {
      pc = create({ iceServers: [probe], iceTransportPolicy: 'relay' });
    } catch {
      resolve(false);
      return;
    }
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pc.close();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    pc.onicecandidate = (event) => {
      if (event.candidate?.type === 'relay') finish(true);
      else if (event.candidate === null) finish(false);
    };
    pc.createDataChannel('network-check');
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .catch(() => finish(false));
  });
}

async function serverAnswers(
  url: string,
  fetcher: typeof fetch,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await fetcher(url, {
      mode: 'no-cors',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}

/** Runs every way at once; never throws. */
export async function checkNetwork(
  probes: NetworkCheckResponse,
  deps: NetworkCheckDeps,
): Promise<NetworkReport> {
  const timeoutMs = deps.timeoutMs ?? PATH_TIMEOUT_MS;
  const relay = async (probe: TurnProbe | null): Promise<PathReport> =>
    probe === null
      ? { result: 'not_offered', address: null }
      : {
          result: (await relayReachable(probe, deps.createPeerConnection, timeoutMs))
            ? 'reachable'
            : 'blocked',
          address: addressOf(probe.urls),
        };
  const [udp, tcp, tls] = await Promise.all([
    relay(probes.udp),
    serverAnswers(probes.mediaServer, deps.fetch, timeoutMs).then((ok): PathReport => ({
      result: ok ? 'reachable' : 'blocked',
      address: addressOf(probes.mediaServer),
    })),
    relay(probes.tls),
  ]);
  return { udp, tcp, tls };
}

/** Asks the signal service what to try for this link, then tries it; null: it could not ask. */
export async function runNetworkCheck(
  token: string,
  deps: NetworkCheckDeps,
): Promise<NetworkReport | null> {
  let probes: unknown;
  try {
    const response = await deps.fetch(endpointPath('networkCheck', { params: { token } }), {
      method: 'GET',
    });
    if (!response.ok) return null;
    probes = await response.json();
  } catch {
    return null;
  }
  return isNetworkCheck(probes) ? checkNetwork(probes, deps) : null;
}
