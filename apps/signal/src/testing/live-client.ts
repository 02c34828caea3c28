import WebSocket from 'ws';
import type { ServerMessage } from '@polyphony/protocol';

export interface LiveClient {
  readonly ws: WebSocket;
  /** The next server message (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<ServerMessage>;
  /** The next message of this type; messages of other types before it are dropped. */
  nextOf<T extends ServerMessage['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  /** Messages received and not yet taken by `next`. */
  readonly pending: ServerMessage[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A test client of the live channel. */
export function openLive(url: string, headers: Record<string, string>): LiveClient {
  const ws = new WebSocket(url, { headers });
  const pending: ServerMessage[] = [];
  const waiters: ((m: ServerMessage) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else pending.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', () => {});
  });
  const client: LiveClient = {
    ws,
    pending,
    closed,
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
        const waiter = (m: ServerMessage) => {
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
