import WebSocket from 'ws';

/** The media access the live channel hands an admitted participant. */
export interface MediaAccess {
  url: string;
  token: string;
  identity: string;
}

export interface LiveConnection {
  readonly socket: WebSocket;
  /** Resolves with the first media access received (now or later, e.g. on admission). */
  readonly media: Promise<MediaAccess>;
  /** Every message received so far, parsed. */
  readonly messages: unknown[];
  close(): void;
}

/** Opens the live channel as a browser would: the session cookie and the product's Origin. */
export function openLive(
  signalUrl: string,
  origin: string,
  meetingId: string,
  cookieHeader: string,
): Promise<LiveConnection> {
  return new Promise((resolveOpen, rejectOpen) => {
    const socket = new WebSocket(
      `${signalUrl.replace(/^http/, 'ws')}/api/meetings/${meetingId}/live`,
      { headers: { Cookie: cookieHeader, Origin: origin } },
    );
    const messages: unknown[] = [];
    let resolveMedia: (m: MediaAccess) => void = () => {};
    let rejectMedia: (e: Error) => void = () => {};
    const media = new Promise<MediaAccess>((res, rej) => {
      resolveMedia = res;
      rejectMedia = rej;
    });
    media.catch(() => {});
    socket.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as { type: string; media?: MediaAccess | null };
      messages.push(msg);
      if ((msg.type === 'snapshot' || msg.type === 'media') && msg.media) resolveMedia(msg.media);
    });
    socket.on('close', (code) => rejectMedia(new Error(`live channel closed ${code}`)));
    socket.once('open', () =>
      resolveOpen({ socket, media, messages, close: () => socket.close() }),
    );
    socket.once('error', rejectOpen);
  });
}

/** Opens the live channel and waits (up to 10 s) for media access. */
export async function fetchMediaAccess(
  signalUrl: string,
  origin: string,
  meetingId: string,
  cookieHeader: string,
): Promise<{ media: MediaAccess; socket: WebSocket }> {
  const live = await openLive(signalUrl, origin, meetingId, cookieHeader);
  const timeout = new Promise<never>((_, rej) =>
    setTimeout(() => rej(new Error('no media access within 10 s')), 10_000).unref(),
  );
  const media = await Promise.race([live.media, timeout]);
  return { media, socket: live.socket };
}
