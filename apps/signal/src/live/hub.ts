import {
  eventsSince,
  notifyInTransaction,
  type Database,
  type StoredMeetingEvent,
  type Tx,
} from '@polyphony/db';
import { committed, type CommittedEvent } from './to-live-event.ts';

export type LiveListener = (event: CommittedEvent) => void;

/**
 * Fan-out of committed meeting events to live connections. `announce` runs inside the
 * transaction that appends the events; `publish` after it has committed. The in-process hub
 * serves one node; the NOTIFY hub serves any number of nodes on one database.
 */
export interface LiveHub {
  announce(tx: Tx, meetingId: string, events: readonly StoredMeetingEvent[]): Promise<void>;
  publish(meetingId: string, events: readonly CommittedEvent[]): void;
  /** Returns the unsubscribe function. */
  subscribe(meetingId: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

interface Fanout {
  dispatch(meetingId: string, events: readonly CommittedEvent[]): void;
  has(meetingId: string): boolean;
  subscribe(meetingId: string, listener: LiveListener): () => void;
  clear(): void;
}

function createFanout(onListenerError: (err: unknown) => void): Fanout {
  const listeners = new Map<string, Set<LiveListener>>();
  return {
    dispatch(meetingId, events) {
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
    has: (meetingId) => listeners.has(meetingId),
    subscribe(meetingId, listener) {
      let set = listeners.get(meetingId);
      if (!set) listeners.set(meetingId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(meetingId) === set) listeners.delete(meetingId);
      };
    },
    clear: () => listeners.clear(),
  };
}

/** One node: committed events go straight to this process's connections. */
export function createInProcessHub(onListenerError: (err: unknown) => void): LiveHub {
  const fanout = createFanout(onListenerError);
  return {
    announce: async () => {},
    publish: (meetingId, events) => fanout.dispatch(meetingId, events),
    subscribe: (meetingId, listener) => fanout.subscribe(meetingId, listener),
    async close() {
      fanout.clear();
    },
  };
}

/** The NOTIFY channel; payloads are `<meeting id>:<first seq>:<last seq>`, never content. */
export const EVENTS_CHANNEL = 'meeting_events';

/** Parses a NOTIFY payload; null for anything malformed. */
export function parseAnnouncement(
  payload: string,
): { meetingId: string; from: number; to: number } | null {
  const match = /^([0-9a-f-]{36}):(\d+):(\d+)$/i.exec(payload);
  if (!match) return null;
  const from = Number(match[2]);
  const to = Number(match[3]);
  return from >= 1 && to >= from ? { meetingId: match[1]!, from, to } : null;
}

/**
 * Several nodes on one PostgreSQL (or one PGlite): each commit NOTIFYs the meeting id and its
 * sequence numbers (delivered by the database only if the transaction commits); every node
 * then reads those rows from the database and hands them to its connections. The node that
 * committed also dispatches at once; connections ignore sequence numbers they already have.
 */
export async function createNotifyHub(
  database: Database,
  onError: (err: unknown) => void,
): Promise<LiveHub> {
  const fanout = createFanout(onError);
  const dispatched = new Map<string, number>();
  const mark = (meetingId: string, seq: number) => {
    if ((dispatched.get(meetingId) ?? 0) < seq) dispatched.set(meetingId, seq);
  };
  let chain: Promise<void> = Promise.resolve();
  const onPayload = (payload: string) => {
    const note = parseAnnouncement(payload);
    if (!note || !fanout.has(note.meetingId)) return;
    chain = chain
      .then(async () => {
        const after = Math.max(note.from - 1, dispatched.get(note.meetingId) ?? 0);
        if (after >= note.to) return;
        const rows = await eventsSince(database.db, note.meetingId, after, note.to - after);
        const events = rows.filter((r) => r.seq <= note.to).map(committed);
        mark(note.meetingId, note.to);
        fanout.dispatch(note.meetingId, events);
      })
      .catch(onError);
  };
  const unlisten = await database.listen(EVENTS_CHANNEL, onPayload);
  return {
    async announce(tx, meetingId, events) {
      if (events.length === 0) return;
      const payload = `${meetingId}:${events[0]!.seq}:${events[events.length - 1]!.seq}`;
      await notifyInTransaction(tx, EVENTS_CHANNEL, payload);
    },
    publish(meetingId, events) {
      const last = events[events.length - 1];
      if (last) mark(meetingId, last.seq);
      fanout.dispatch(meetingId, events);
    },
    subscribe: (meetingId, listener) => fanout.subscribe(meetingId, listener),
    async close() {
      fanout.clear();
      await unlisten().catch(onError);
      await chain;
    },
  };
}
