import { notifyInTransaction, type Database, type Tx } from '@polyphony/db';

/** The NOTIFY channel; payloads are `<staff id>` or `<staff id>:<kept session id>`, ids only. */
export const SESSIONS_ENDED_CHANNEL = 'staff_sessions_ended';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PAYLOAD = new RegExp(`^(${UUID})(?::(${UUID}))?$`, 'i');

/** Parses a payload; null for anything malformed. */
export function parseSessionsEnded(
  payload: string,
): { staffId: string; keptSessionId: string | null } | null {
  const match = PAYLOAD.exec(payload);
  return match ? { staffId: match[1]!, keptSessionId: match[2] ?? null } : null;
}

/**
 * The live channels staff hold, by person and session, so that ending sessions (an account
 * disabled, a password changed or reset) closes those channels at once on every node: the
 * transaction that deletes the sessions NOTIFYs, and each node closes its own channels of that
 * person (all of them, or all but the session that changed the password).
 */
export interface StaffChannels {
  /** Returns the function that forgets the channel (call it when the socket closes). */
  register(staffId: string, sessionId: string, close: () => void): () => void;
  /** Inside the transaction that ended the sessions; `keptSessionId` stays open. */
  announce(tx: Tx, staffId: string, keptSessionId: string | null): Promise<void>;
  /** After the commit, on this node at once (the NOTIFY reaches the others). */
  ended(staffId: string, keptSessionId: string | null): void;
  close(): Promise<void>;
}

export async function createStaffChannels(
  database: Database,
  onError: (err: unknown) => void,
): Promise<StaffChannels> {
  const channels = new Map<string, Map<symbol, { sessionId: string; close: () => void }>>();
  const ended = (staffId: string, keptSessionId: string | null) => {
    const mine = channels.get(staffId);
    if (!mine) return;
    for (const [key, channel] of [...mine]) {
      if (channel.sessionId === keptSessionId) continue;
      mine.delete(key);
      try {
        channel.close();
      } catch (err) {
        onError(err);
      }
    }
    if (mine.size === 0) channels.delete(staffId);
  };
  const unlisten = await database.listen(SESSIONS_ENDED_CHANNEL, (payload) => {
    const note = parseSessionsEnded(payload);
    if (note) ended(note.staffId, note.keptSessionId);
  });
  return {
    register(staffId, sessionId, close) {
      const key = Symbol(sessionId);
      let mine = channels.get(staffId);
      if (!mine) channels.set(staffId, (mine = new Map()));
      mine.set(key, { sessionId, close });
      return () => {
        const now = channels.get(staffId);
        now?.delete(key);
        if (now?.size === 0) channels.delete(staffId);
      };
    },
    async announce(tx, staffId, keptSessionId) {
      const payload = keptSessionId === null ? staffId : `${staffId}:${keptSessionId}`;
      await notifyInTransaction(tx, SESSIONS_ENDED_CHANNEL, payload);
    },
    ended,
    async close() {
      channels.clear();
      await unlisten().catch(onError);
    },
  };
}
