import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { connectLive, tokenClaims as readClaims } from '@polyphony/stack';

/**
 * Init script for test pages (no hook in product code): records every RTCPeerConnection in
 * `window.__pcs` (as CAPTURE_PEER_CONNECTIONS does) and, for each received track, the stream
 * id LiveKit gives it (`<participant sid>|<track sid>`), so inbound bytes can be told apart by
 * sender.
 */
export const CAPTURE_TRACK_SENDERS = `(() => {
  const Native = window.RTCPeerConnection;
  const list = [];
  const streams = {};
  window.__pcs = list;
  window.__trackStreams = streams;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    list.push(pc);
    pc.addEventListener('track', (e) => { streams[e.track.id] = e.streams[0] ? e.streams[0].id : ''; });
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;

/**
 * Init script playing a modified client: every livekit-client Room the page's own code creates
 * is kept in `window.__rooms` (caught when the Room assigns its `localParticipant`), so a test
 * can call the LiveKit client directly, past the product's UI. Received data messages are
 * counted in `window.__dataReceived`.
 */
export const CAPTURE_LIVEKIT_ROOMS = `(() => {
  window.__rooms = [];
  window.__dataReceived = 0;
  Object.defineProperty(Object.prototype, 'localParticipant', {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, 'localParticipant', {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (typeof this.connect === 'function' && typeof this.on === 'function' && typeof this.disconnect === 'function') {
        window.__rooms.push(this);
        this.on('dataReceived', () => { window.__dataReceived += 1; });
      }
    },
  });
})();`;

/** Inbound media per sending participant (LiveKit participant sid). */
export interface InboundBySender {
  readonly audioBytes: Record<string, number>;
  readonly videoStreams: Record<string, number>;
}

const READ_INBOUND_BY_SENDER = `(async () => {
  const audioBytes = {}, videoStreams = {};
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const stream = (window.__trackStreams ?? {})[s.trackIdentifier] ?? '';
      const sid = stream.split('|')[0] || 'unknown';
      if (s.kind === 'audio') audioBytes[sid] = (audioBytes[sid] ?? 0) + (s.bytesReceived ?? 0);
      if (s.kind === 'video' && (s.bytesReceived ?? 0) > 0) videoStreams[sid] = (videoStreams[sid] ?? 0) + 1;
    });
  }
  return { audioBytes, videoStreams };
})()`;

export function inboundBySender(page: Page): Promise<InboundBySender> {
  return page.evaluate(READ_INBOUND_BY_SENDER) as Promise<InboundBySender>;
}

/** Inbound audio bytes `page` has received from the participant with LiveKit sid `sid`. */
export async function audioBytesFrom(page: Page, sid: string): Promise<number> {
  return (await inboundBySender(page)).audioBytes[sid] ?? 0;
}

/** A live-channel message as the page received it, with which socket (0, 1, …) carried it. */
export interface SeenFrame {
  readonly socket: number;
  readonly at: number;
  readonly message: {
    type: string;
    seq?: number;
    media?: { token: string; identity: string; url: string } | null;
    event?: { type?: string };
    participants?: { participantId: string }[];
    me?: { participantId: string };
    meeting?: { mode: string };
  };
}

/**
 * Records every live-channel frame a page receives (all its sockets, in order). Attach before
 * the page opens the room.
 */
export function recordLiveFrames(page: Page): SeenFrame[] {
  const frames: SeenFrame[] = [];
  let sockets = 0;
  page.on('websocket', (ws: PageSocket) => {
    if (!ws.url().includes('/live')) return;
    const socket = sockets++;
    ws.on('framereceived', ({ payload }) => {
      try {
        frames.push({ socket, at: Date.now(), message: JSON.parse(String(payload)) });
      } catch {
        frames.push({ socket, at: Date.now(), message: { type: 'unparsable' } });
      }
    });
  });
  return frames;
}

/** The latest media access the page was handed on its live channel. */
export function lastMediaAccess(frames: readonly SeenFrame[]) {
  for (let i = frames.length - 1; i >= 0; i--) {
    const media = frames[i]!.message.media;
    if (media) return media;
  }
  return null;
}

/** What the browser tests read in a LiveKit token. */
export interface MediaTokenClaims {
  sub?: string;
  exp?: number;
  video?: { canPublishSources?: string[]; canPublish?: boolean; canSubscribe?: boolean };
}

/** The claims of a LiveKit token (not verified: the test only reads what was issued). */
export const tokenClaims = (token: string) => readClaims<MediaTokenClaims>(token);

/** The live channel as a staff member sees it, opened from Node with their session cookie. */
export interface StaffLiveView {
  /** Participant ids on the latest roster message (who is in the room, per the server). */
  roster(): ReadonlySet<string>;
  readonly messages: readonly SeenFrame['message'][];
  close(): void;
}

/** The participants on the latest (highest `seq`) roster or snapshot among `messages`. */
function latestRoster(messages: readonly SeenFrame['message'][]): ReadonlySet<string> {
  let roster = new Set<string>();
  let seq = -1;
  for (const message of messages) {
    const people = message.participants;
    if ((message.type === 'roster' || message.type === 'snapshot') && people) {
      if ((message.seq ?? 0) >= seq) {
        seq = message.seq ?? seq;
        roster = new Set(people.map((p) => p.participantId));
      }
    }
  }
  return roster;
}

export async function openStaffLiveView(
  origin: string,
  meetingId: string,
  cookieHeader: string,
  /** Where the socket goes (the web origin by default, or the signal service itself). */
  base = origin,
): Promise<StaffLiveView> {
  const live = await connectLive(base, origin, meetingId, cookieHeader);
  const messages = live.messages as SeenFrame['message'][];
  return { roster: () => latestRoster(messages), messages, close: () => live.close() };
}
