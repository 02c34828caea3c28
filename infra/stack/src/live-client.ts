import WebSocket from 'ws';

/** The media access the live channel hands an admitted participant. */
export interface MediaAccess {
  readonly url: string;
  readonly token: string;
  readonly identity: string;
}

/** The least every live-channel message has; callers narrow it (e.g. to the protocol's union). */
export interface LiveMessage {
  readonly type: string;
}

/** A client of the product's live channel (`/api/meetings/:id/live`), for tests and benchmarks. */
export interface LiveClient<M extends LiveMessage = LiveMessage> {
  readonly ws: WebSocket;
  /** Resolves once the socket is open; rejects if it fails first. */
  readonly opened: Promise<void>;
  /** Every message received so far, in order (whether or not taken by `next`). */
  readonly messages: M[];
  /** Messages received and not yet taken by `next`. */
  readonly pending: M[];
  /** The first media access received (in the snapshot, or later, e.g. on admission). */
  readonly media: Promise<MediaAccess>;
  /** The next server message (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<M>;
  /** The next message of this type; messages of other types before it are dropped. */
  nextOf<T extends M['type']>(type: T, timeoutMs?: number): Promise<Extract<M, { type: T }>>;
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** The live channel's address for a meeting, from an http(s) or ws(s) base. */
export function liveUrl(base: string, meetingId: string, query = ''): string {
  return `${base.replace(/^http/, 'ws')}/api/meetings/${meetingId}/live${query}`;
}

/** Opens the live channel with these headers (a browser sends its cookie and Origin). */
export function openLive<M extends LiveMessage = LiveMessage>(
  url: string,
  headers: Record<string, string>,
): LiveClient<M> {
  const ws = new WebSocket(url, { headers });
  const messages: M[] = [];
  const pending: M[] = [];
  const waiters: ((m: M) => void)[] = [];
  let resolveMedia: (m: MediaAccess) => void = () => {};
  let rejectMedia: (e: Error) => void = () => {};
  const media = new Promise<MediaAccess>((resolve, reject) => {
    resolveMedia = resolve;
    rejectMedia = reject;
  });
  media.catch(() => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  opened.catch(() => {});
  ws.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as M & { media?: MediaAccess | null };
    messages.push(message);
    if (message.type === 'snapshot' && message.media) resolveMedia(message.media);
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else pending.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      rejectMedia(new Error(`live channel closed ${code}`));
      resolve({ code, reason: reason.toString() });
    });
    ws.on('error', () => {});
  });
  const client: LiveClient<M> = {
    ws,
    opened,
    messages,
    pending,
    media,
    closed,
    close: () => ws.close(),
    async nextOf(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await client.next(Math.max(1, deadline - Date.now()));
        if (message.type === type) return message as never;
      }
    },
    next(timeoutMs = 5000) {
      const queued = pending.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const waiter = (m: M) => {
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('no message in time'));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
  return client;
}

/** Opens the live channel as a browser would (session cookie, the product's Origin); waits for it. */
export async function connectLive(
  signalUrl: string,
  origin: string,
  meetingId: string,
  cookieHeader: string,
): Promise<LiveClient> {
  const live = openLive(liveUrl(signalUrl, meetingId), { Cookie: cookieHeader, Origin: origin });
  await live.opened;
  return live;
}

/** Opens the live channel and waits (up to 10 s) for media access. */
export async function fetchMediaAccess(
  signalUrl: string,
  origin: string,
  meetingId: string,
  cookieHeader: string,
): Promise<{ media: MediaAccess; live: LiveClient }> {
  const live = await connectLive(signalUrl, origin, meetingId, cookieHeader);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('no media access within 10 s')), 10_000).unref(),
  );
  const media = await Promise.race([live.media, timeout]);
  return { media, live };
}
