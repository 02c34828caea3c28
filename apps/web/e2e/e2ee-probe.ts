import type { Page } from 'playwright-core';
import { HEARD_DB, hears as hearsTone, tonePeaks } from './tone.ts';

/**
 * Init script for the attack tests (issue 15; no hook in product code): records every raw media
 * key the page hands livekit-client's E2EE worker, by sender identity and key index, with the
 * time it was handed over (`window.__e2ee.held`). Raw bytes are caught where the page imports
 * them (`crypto.subtle.importKey`), matched to the worker's `setKey` message by the CryptoKey.
 * Also records every ECDH shared secret the page derives and whether each generated private key
 * is extractable. With `window.__e2eeBlockOthers` set (a saboteur), keys for anyone but the page
 * itself never reach the worker (kept in `blocked`); `window.__e2eeInject` gives it keys instead.
 */
export const CAPTURE_E2EE_KEYS = `(() => {
  const subtle = crypto.subtle;
  const importKey = subtle.importKey.bind(subtle);
  const deriveBits = subtle.deriveBits.bind(subtle);
  const generateKey = subtle.generateKey.bind(subtle);
  const exportKey = subtle.exportKey.bind(subtle);
  const hex = (data) => {
    const view = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
    return [...view].map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  const raw = new WeakMap();
  const state = { held: [], blocked: [], shared: [], privateKeys: [], relay: [] };
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await nativeFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/e2ee/wrapped-keys')) state.relay.push({ at: Date.now(), kind: 'wrapped' });
    if (url.endsWith('/e2ee') && response.ok) {
      response.clone().json().then((body) => {
        state.relay.push({ at: Date.now(), kind: 'read', keys: body.keys.map((k) => k.identity) });
      }, () => {});
    }
    return response;
  };
  window.__e2ee = state;
  subtle.importKey = async (format, data, algorithm, extractable, usages) => {
    const key = await importKey(format, data, algorithm, extractable, usages);
    if (format === 'raw') raw.set(key, hex(data));
    return key;
  };
  subtle.deriveBits = async (algorithm, key, length) => {
    const bits = await deriveBits(algorithm, key, length);
    if (algorithm && (algorithm.name === 'X25519' || algorithm.name === 'ECDH'))
      state.shared.push(hex(bits));
    return bits;
  };
  subtle.generateKey = async (algorithm, extractable, usages) => {
    const made = await generateKey(algorithm, extractable, usages);
    if (made && made.privateKey) {
      let exportRefused = false;
      try { await exportKey('pkcs8', made.privateKey); } catch { exportRefused = true; }
      state.privateKeys.push({
        algorithm: algorithm.name, extractable: made.privateKey.extractable, exportRefused,
      });
    }
    return made;
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.kind === 'setKey' && message.data) {
      window.__e2eeWorker = this;
      const d = message.data;
      const entry = {
        identity: d.participantIdentity, keyIndex: d.keyIndex, hex: raw.get(d.key) ?? null,
        at: Date.now(), publisher: d.isPublisher === true,
      };
      if (window.__e2eeBlockOthers && !entry.publisher) { state.blocked.push(entry); return; }
      state.held.push(entry);
    }
    return post.call(this, message, ...rest);
  };
  window.__e2eeInject = async (keys) => {
    for (const k of keys) {
      const bytes = new Uint8Array(k.hex.match(/../g).map((h) => parseInt(h, 16)));
      const key = await importKey('raw', bytes.buffer, 'HKDF', false, ['deriveBits', 'deriveKey']);
      post.call(window.__e2eeWorker, { kind: 'setKey', data: {
        participantIdentity: k.identity, isPublisher: false, key, keyIndex: k.keyIndex,
        updateCurrentKeyIndex: true,
      } });
    }
    return keys.length;
  };
})();`;

/** Init script making a page a saboteur: no key from anyone else reaches its decryptor. */
export const BLOCK_OTHERS_KEYS = `window.__e2eeBlockOthers = true;`;

/** A media key a page handed its E2EE worker: whose, which slot, the raw bytes (hex), when. */
export interface CapturedKey {
  readonly identity: string;
  readonly keyIndex: number;
  readonly hex: string | null;
  readonly at: number;
  /** The page's own sending key (it encrypts with the latest one from then on). */
  readonly publisher: boolean;
}

export interface CapturedSecrets {
  readonly held: CapturedKey[];
  readonly blocked: CapturedKey[];
  /** ECDH shared secrets the page derived (hex). */
  readonly shared: string[];
  readonly privateKeys: { algorithm: string; extractable: boolean; exportRefused: boolean }[];
  /** When the page read the relay (and whose device keys it listed) or sent wrapped copies. */
  readonly relay: { at: number; kind: 'read' | 'wrapped'; keys?: string[] }[];
}

export function capturedSecrets(page: Page): Promise<CapturedSecrets> {
  return page.evaluate(() => (window as unknown as { __e2ee: CapturedSecrets }).__e2ee);
}

/** Gives the page's decryptor these keys (past the product's own key ring). */
export function injectKeys(page: Page, keys: readonly CapturedKey[]): Promise<number> {
  return page.evaluate(
    (k) =>
      (
        window as unknown as { __e2eeInject(keys: readonly CapturedKey[]): Promise<number> }
      ).__e2eeInject(k),
    keys.filter((k) => k.hex !== null),
  );
}

/** Inbound media per sending participant (LiveKit sid) and kind: bytes and decoded frames. */
export type InboundMedia = Record<
  string,
  { audioBytes: number; videoBytes: number; framesDecoded: number }
>;

export function inboundMedia(page: Page): Promise<InboundMedia> {
  return page.evaluate(async () => {
    const w = window as unknown as {
      __pcs?: RTCPeerConnection[];
      __trackStreams?: Record<string, string>;
    };
    const out: InboundMedia = {};
    for (const pc of w.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: Record<string, unknown>) => {
        if (s['type'] !== 'inbound-rtp') return;
        const stream = (w.__trackStreams ?? {})[String(s['trackIdentifier'])] ?? '';
        const sid = stream.split('|')[0] || 'unknown';
        const entry = (out[sid] ??= { audioBytes: 0, videoBytes: 0, framesDecoded: 0 });
        const bytes = Number(s['bytesReceived'] ?? 0);
        if (s['kind'] === 'audio') entry.audioBytes += bytes;
        if (s['kind'] === 'video') {
          entry.videoBytes += bytes;
          entry.framesDecoded += Number(s['framesDecoded'] ?? 0);
        }
      });
    }
    return out;
  });
}

export const TONE_HZ = 440;
export { HEARD_DB };
/** Below this, nothing of the tone is there (silence reads about 0). */
export const SILENT_DB = 10;

/**
 * The 440 Hz peak above the spectrum's median (dB) in the sound the page plays for `identity`
 * (tone.ts's detector); null when the page plays nothing for them (no audio element, no track).
 */
export async function tonePeak(page: Page, identity: string): Promise<number | null> {
  return (await tonePeaks(page, identity, [TONE_HZ]))?.[0] ?? null;
}

/**
 * Whether `listener` hears `identity`'s tone within `ms` (decrypted sound with a clear peak).
 * A minute by default: in a full run on the 2-core box a page's media reconnect once outlasted
 * 30 s (the page said "reconnecting" at every reading), and hearing is all this claims.
 */
export function hears(listener: Page, identity: string, ms = 60_000): Promise<boolean> {
  return hearsTone(listener, identity, TONE_HZ, ms);
}

/**
 * Every reading of `identity`'s sound on `listener` for at least `ms` and at least `count`
 * readings (a loaded machine reads slowly); null: nothing played.
 */
export async function peaksFor(
  listener: Page,
  identity: string,
  ms: number,
  count = 3,
  /** Runs before each reading (e.g. feeding the decryptor keys again). */
  before?: () => Promise<unknown>,
) {
  const peaks: (number | null)[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end || peaks.length < count) {
    await before?.();
    peaks.push(await tonePeak(listener, identity));
  }
  return peaks;
}
