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
 * Whom "the E2EE relay changed" concerns: these participants (ids), or everyone in the room
 * (null). A new device key changes what everyone reads; a wrapped copy only what its recipient
 * reads, a copy taken only what its sender reads (ADR 0035).
 */
export type KeysAudience = readonly string[] | null;
/** The nudge itself carries nothing; its audience only says which connections pass it on. */
export type KeysListener = (audience: KeysAudience) => void;

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
  /** Inside the transaction that wrote to the E2EE relay: every node's connections will hear. */
  announceKeys(tx: Tx, meetingId: string, audience: KeysAudience): Promise<void>;
  /** After that commit (the one-node hub tells its connections here; the NOTIFY hub on NOTIFY). */
  publishKeys(meetingId: string, audience: KeysAudience): void;
  subscribeKeys(meetingId: string, listener: KeysListener): () => void;
  close(): Promise<void>;
}

/** Listeners by meeting; each item dispatched goes to every listener of its meeting. */
interface Fanout<T> {
  dispatch(meetingId: string, items: readonly T[]): void;
  has(meetingId: string): boolean;
  subscribe(meetingId: string, listener: (item: T) => void): () => void;
  clear(): void;
}

function createFanout<T>(onListenerError: (err: unknown) => void): Fanout<T> {
  const listeners = new Map<string, Set<(item: T) => void>>();
  return {
    dispatch(meetingId, items) {
      const set = listeners.get(meetingId);
      if (!set) return;
      for (const item of items) {
        for (const listener of [...set]) {
          try {
            listener(item);
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
  const fanout = createFanout<CommittedEvent>(onListenerError);
  const keys = createFanout<KeysAudience>(onListenerError);
  return {
    announce: async () => {},
    publish: (meetingId, events) => fanout.dispatch(meetingId, events),
    subscribe: (meetingId, listener) => fanout.subscribe(meetingId, listener),
    announceKeys: async () => {},
    publishKeys: (meetingId, audience) => {
      if (audience === null || audience.length > 0) keys.dispatch(meetingId, [audience]);
    },
    subscribeKeys: (meetingId, listener) => keys.subscribe(meetingId, listener),
    async close() {
      fanout.clear();
      keys.clear();
    },
  };
}

/** The NOTIFY channel; payloads are `<meeting id>:<first seq>:<last seq>`, never content. */
export const EVENTS_CHANNEL = 'meeting_events';

/**
 * The NOTIFY channel of the E2EE relay's nudge; the payload is the meeting id, then, when the
 * nudge is for some participants only, a colon and their ids, comma-separated. Never content.
 */
export const KEYS_CHANNEL = 'meeting_keys';

const MEETING_ID = /^[0-9a-f-]{36}$/i;
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** PostgreSQL's NOTIFY payload is under 8000 bytes: a longer audience goes to everyone. */
const MAX_KEYS_PAYLOAD = 7000;

/** The keys nudge's NOTIFY payload; null when there is nobody to tell. */
export function keysPayload(meetingId: string, audience: KeysAudience): string | null {
  if (audience === null) return meetingId;
  if (audience.length === 0) return null;
  const payload = `${meetingId}:${[...new Set(audience)].join(',')}`;
  return payload.length <= MAX_KEYS_PAYLOAD ? payload : meetingId;
}

/** Reads a keys payload; null for anything malformed. */
export function parseKeysPayload(
  payload: string,
): { meetingId: string; audience: KeysAudience } | null {
  const colon = payload.indexOf(':');
  const meetingId = colon < 0 ? payload : payload.slice(0, colon);
  if (!MEETING_ID.test(meetingId)) return null;
  if (colon < 0) return { meetingId, audience: null };
  const audience = payload.slice(colon + 1).split(',');
  return audience.every((id) => PARTICIPANT_ID.test(id)) ? { meetingId, audience } : null;
}

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
  const fanout = createFanout<CommittedEvent>(onError);
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
  const keys = createFanout<KeysAudience>(onError);
  const unlistenKeys = await database.listen(KEYS_CHANNEL, (payload) => {
    const note = parseKeysPayload(payload);
    if (note) keys.dispatch(note.meetingId, [note.audience]);
  });
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
    async announceKeys(tx, meetingId, audience) {
      const payload = keysPayload(meetingId, audience);
      if (payload !== null) await notifyInTransaction(tx, KEYS_CHANNEL, payload);
    },
    // Every node, this one too, hears the NOTIFY: nothing more to do here.
    publishKeys: () => {},
    subscribeKeys: (meetingId, listener) => keys.subscribe(meetingId, listener),
    async close() {
      fanout.clear();
      keys.clear();
      await unlisten().catch(onError);
      await unlistenKeys().catch(onError);
      await chain;
    },
  };
}
