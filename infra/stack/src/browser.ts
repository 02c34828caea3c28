import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A mono 16-bit PCM WAV at 48 kHz of `seconds` of `sample(i)` (−1…1), for the fake microphone. */
function writeWav(seconds: number, sample: (i: number) => number): string {
  const rate = 48000;
  const samples = rate * seconds;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVE', 8);
  buf.write('fmt ', 12);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(sample(i) * 32767), 44 + i * 2);
  const file = join(mkdtempSync(join(tmpdir(), 'polyphony-audio-')), 'mic.wav');
  writeFileSync(file, buf);
  return file;
}

/** A mono 16-bit PCM WAV with a sine tone (or silence), for Chromium's fake microphone. */
export function writeToneWav(opts: {
  frequency: number;
  seconds?: number;
  silent?: boolean;
}): string {
  const amplitude = opts.silent ? 0 : 12000 / 32767;
  return writeWav(
    opts.seconds ?? 10,
    (i) => Math.sin((2 * Math.PI * opts.frequency * i) / 48000) * amplitude,
  );
}

/** A mono WAV of steady white noise (a fan, traffic), from a fixed seed: the same every run. */
export function writeNoiseWav(seconds = 20): string {
  let seed = 12345;
  return writeWav(seconds, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * (16000 / 32767);
  });
}

/** What the fake media devices of a test browser are. */
export interface ChromiumOptions {
  /** The fake microphone plays this WAV file (see {@link writeToneWav}). */
  readonly audioFile?: string;
  /** How many fake cameras (`fake_device_0`, `fake_device_1`, …); one by default. */
  readonly cameras?: number;
  /**
   * Camera and microphone only as each context's `permissions` grant them: what is not granted
   * is refused (`NotAllowedError`), as when a person says no. By default every request is allowed.
   */
  readonly permissionsFromContext?: boolean;
}

function chromiumArgs(opts: ChromiumOptions): string[] {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    opts.cameras && opts.cameras > 1
      ? `--use-fake-device-for-media-stream=device-count=${opts.cameras}`
      : '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (!opts.permissionsFromContext) args.push('--use-fake-ui-for-media-stream');
  if (opts.audioFile) args.push(`--use-file-for-fake-audio-capture=${opts.audioFile}`);
  return args;
}

/** Headless Debian Chromium with fake camera and microphone (one browser per fake audio file). */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs(opts),
    headless: true,
  });
}

/** A Chromium whose process a test can kill, as a crash or a flat phone battery would. */
export interface KillableBrowser {
  readonly browser: Browser;
  /** SIGKILL to the browser process: no page unload, no goodbye to any server. */
  kill(): void;
}

/** Like {@link launchChromium}, as its own process the test may kill. */
export async function launchKillableChromium(opts: ChromiumOptions = {}): Promise<KillableBrowser> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs(opts),
    headless: true,
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    kill() {
      const pid = server.process().pid;
      if (pid === undefined) throw new Error('the browser has no process');
      // Playwright starts Chromium as a process group leader: take every child with it.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
    },
  };
}

/**
 * Init script that records every RTCPeerConnection a page creates, so tests can read
 * WebRTC stats without any test hook in the product code.
 */
export const CAPTURE_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const list = [];
  window.__pcs = list;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    list.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;

export interface MediaTotals {
  audioBytes: number;
  videoFramesDecoded: number;
  audioTracks: number;
}

/** Browser-side function: totals of inbound audio bytes and decoded video frames. */
export const READ_INBOUND_TOTALS = `(async () => {
  let audioBytes = 0, videoFramesDecoded = 0, audioTracks = 0;
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'audio') { audioBytes += s.bytesReceived ?? 0; audioTracks++; }
      if (s.kind === 'video') videoFramesDecoded += s.framesDecoded ?? 0;
    });
  }
  return { audioBytes, videoFramesDecoded, audioTracks };
})()`;

/**
 * Init script like {@link CAPTURE_PEER_CONNECTIONS} that also records, in `window.__ice`, the
 * configuration (ICE servers, policy) each RTCPeerConnection is given and every local candidate
 * it gathers. With `forceRelay`, every connection is made with `iceTransportPolicy: 'relay'`
 * (also through `setConfiguration`), as when only a TURN server can be reached.
 */
export function captureIce(opts: { forceRelay?: boolean } = {}): string {
  return `(() => {
  const forceRelay = ${opts.forceRelay === true};
  const Native = window.RTCPeerConnection;
  const list = [];
  const ice = { configs: [], candidates: [] };
  window.__pcs = list;
  window.__ice = ice;
  const policed = (config) => {
    const c = { ...(config ?? {}) };
    if (forceRelay) c.iceTransportPolicy = 'relay';
    ice.configs.push({
      iceTransportPolicy: c.iceTransportPolicy ?? 'all',
      urls: (c.iceServers ?? []).flatMap((s) => [].concat(s.urls ?? s.url ?? [])),
    });
    return c;
  };
  const setConfiguration = Native.prototype.setConfiguration;
  Native.prototype.setConfiguration = function (config) {
    return setConfiguration.call(this, policed(config));
  };
  window.RTCPeerConnection = function (config, ...rest) {
    const pc = new Native(policed(config), ...rest);
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) ice.candidates.push(e.candidate.candidate);
    });
    list.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;
}

/** One ICE candidate as a page's WebRTC stats show it. */
export interface CandidateStats {
  readonly address: string;
  readonly port: number;
  readonly candidateType: string;
  readonly protocol: string;
  readonly relayProtocol?: string;
  readonly url?: string;
}

/** Per open peer connection: its candidates and the pair ICE chose. */
export interface IceStats {
  readonly state: string;
  readonly local: CandidateStats[];
  readonly remote: CandidateStats[];
  readonly selected: { local: CandidateStats; remote: CandidateStats }[];
}

/** Browser-side function (needs {@link captureIce} or {@link CAPTURE_PEER_CONNECTIONS}). */
export const READ_ICE_STATS = `(async () => {
  const pick = (s) => ({ address: s.address, port: s.port, candidateType: s.candidateType,
    protocol: s.protocol, relayProtocol: s.relayProtocol, url: s.url });
  const out = [];
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    const byId = new Map();
    stats.forEach((s) => byId.set(s.id, s));
    const local = [], remote = [], selected = [];
    stats.forEach((s) => {
      if (s.type === 'local-candidate') local.push(pick(s));
      if (s.type === 'remote-candidate') remote.push(pick(s));
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId);
        const l = pair && byId.get(pair.localCandidateId);
        const r = pair && byId.get(pair.remoteCandidateId);
        if (l && r) selected.push({ local: pick(l), remote: pick(r) });
      }
    });
    out.push({ state: pc.connectionState, local, remote, selected });
  }
  return out;
})()`;
