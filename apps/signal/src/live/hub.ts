import type { LiveEvent } from '@polyphony/protocol';

export type LiveListener = (event: LiveEvent) => void;

/**
 * Fan-out of committed meeting events to live connections. Publish only after the transaction
 * that appended the events has committed. The in-process hub serves one node; a Postgres
 * LISTEN/NOTIFY hub implements the same interface for several nodes.
 */
export interface LiveHub {
  publish(meetingId: string, events: readonly LiveEvent[]): void;
  /** Returns the unsubscribe function. */
  subscribe(meetingId: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

export function createInProcessHub(onListenerError: (err: unknown) => void): LiveHub {
  const listeners = new Map<string, Set<LiveListener>>();
  return {
    publish(meetingId, events) {
      const set = listeners.get(meetingId);
      if (!set) return;
      for (const event of events) {
        for (const listener of [...set]) {
          try {
            listener(event);
          } catch (err) {
            onListenerError(err);
          }
        }
      }
    },
    subscribe(meetingId, listener) {
      let set = listeners.get(meetingId);
      if (!set) listeners.set(meetingId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(meetingId) === set) listeners.delete(meetingId);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
