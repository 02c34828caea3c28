import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CLOSE_CODES } from '@polyphony/protocol';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether this node is shutting down (see {@link drainApp}). */
    readonly drain: DrainState;
  }
}

export interface DrainState {
  /** From the start of the drain: readiness fails and new live channels are sent elsewhere. */
  readonly draining: boolean;
}

/** Adds the drain state every node starts with (not draining). */
export default fp(
  async (app) => {
    app.decorate('drain', { draining: false } satisfies DrainState);
  },
  { name: 'drain' },
);

/**
 * Takes this node out of service without losing anything (SIGTERM): {@link startDrain}, then
 * `app.close()`: the listener stops, requests in flight finish (a request arriving on a kept-alive
 * connection meanwhile gets 503 and `Connection: close`), queued LiveKit work is done and the
 * database is closed. The caller bounds it with a deadline (`DRAIN_TIMEOUT_SECONDS`).
 */
export async function drainApp(app: Drainable): Promise<void> {
  startDrain(app);
  await app.close();
}

type Drainable = Pick<FastifyInstance, 'drain' | 'websocketServer' | 'log' | 'close'>;

/**
 * The first half of a drain: readiness answers 503 from now on, every live channel is closed
 * with `GO_ELSEWHERE` (pages reconnect at once, through the load balancer to another node, and
 * resume by sequence number), and a channel opened meanwhile is closed the same way.
 */
export function startDrain(app: Omit<Drainable, 'close'>): void {
  (app.drain as { draining: boolean }).draining = true;
  const clients = [...app.websocketServer.clients];
  app.log.info({ liveChannels: clients.length }, 'draining');
  for (const socket of clients) socket.close(CLOSE_CODES.GO_ELSEWHERE, 'go elsewhere');
}
