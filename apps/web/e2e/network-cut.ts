import type { CDPSession, Page } from 'playwright-core';
import { ConditionsBox, type Conditions, type UdpRelay } from '@polyphony/stack';

/**
 * The UDP ports of a page's peer connections (its ICE candidates' sockets), read from the
 * connections `window.__pcs` recorded: how the impairment relay tells this page's media apart.
 */
export async function pageUdpPorts(page: Page): Promise<Set<number>> {
  const ports = (await page.evaluate(async () => {
    const found: number[] = [];
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; protocol?: string; port?: number }) => {
        if (s.type === 'local-candidate' && s.protocol === 'udp' && s.port) found.push(s.port);
      });
    }
    return found;
  })) as number[];
  return new Set(ports);
}

/** One page's network, impaired or gone, while every other page's stays as it is. */
export interface PageNetwork {
  /** Impairs this page's media (its UDP through the relay) with these conditions. */
  media(change: Partial<Conditions>): Promise<void>;
  /**
   * The network is gone: the page's media is cut at the relay and the browser is offline for
   * it (Chromium's emulation stalls its open WebSockets — the live channel and LiveKit's
   * signalling — and fails new requests; it does not touch WebRTC's UDP, hence the relay).
   */
  cut(): Promise<void>;
  /** Everything back as it was. */
  restore(): Promise<void>;
}

/**
 * The page's UDP sessions at the relay are the ones that are not among `others` (the sessions
 * seen before this page joined media: the other pages'). Its peer connections' candidate ports
 * are printed beside them; they do not name the relay's sessions here (the ports the relay
 * sees differ from those in the page's `local-candidate` stats).
 */
export async function pageNetwork(
  page: Page,
  relay: UdpRelay,
  others: ReadonlySet<string>,
): Promise<PageNetwork> {
  let cdp: CDPSession | null = null;
  let undo: (() => void) | null = null;
  const box = new ConditionsBox();
  const impairMedia = async (change: Partial<Conditions>) => {
    box.set(change);
    undo?.();
    const ports = await pageUdpPorts(page);
    if (ports.size === 0) throw new Error('the page has no peer connection to impair');
    undo = relay.impairClients((client) => !others.has(client), box);
    const picked = relay.sessions().filter((s) => s.conditions === box);
    console.log(
      `[network] page ports ${[...ports].join(',')}; relay sessions ${relay
        .sessions()
        .map((s) => s.client)
        .join(',')}; picked ${picked.length}`,
    );
    if (picked.length === 0) throw new Error("none of the relay's sessions is this page's");
  };
  const offline = async (on: boolean) => {
    cdp ??= await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: on,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  };
  return {
    media: impairMedia,
    async cut() {
      await impairMedia({ cut: true });
      await offline(true);
    },
    async restore() {
      undo?.();
      undo = null;
      box.set({ cut: false, loss: 0, delayMs: 0, rateKbps: null });
      await offline(false);
    },
  };
}
