import {
  eventsSince,
  findMeetingRow,
  toMeetingEvent,
  type DbOrTx,
  type MeetingRow,
} from '@polyphony/db';
import {
  initialMeetingState,
  purgedMeetingState,
  reduce,
  type MeetingState,
} from '@polyphony/domain';

const PAGE = 1000;
const MAX_CACHED = 500;

interface Cached {
  readonly seq: number;
  readonly state: MeetingState;
}

/**
 * Meeting states rebuilt from the log with `replay`, cached per meeting and always verified
 * against the stored sequence number: a cached state is used only up to its `seq`, and the
 * events after it are read and folded in. Any node can therefore serve any meeting; the cache
 * only saves work.
 */
export interface MeetingStates {
  /** The state as of `meeting.lastSeq` (read inside the caller's transaction or not). */
  at(db: DbOrTx, meeting: MeetingRow, seq?: number): Promise<MeetingState>;
  /** The latest committed state of a meeting, or null if there is no such meeting. */
  latest(
    db: DbOrTx,
    meetingId: string,
  ): Promise<{ meeting: MeetingRow; state: MeetingState } | null>;
  /** Remembers a state just committed. */
  remember(meetingId: string, seq: number, state: MeetingState): void;
}

export function createMeetingStates(): MeetingStates {
  const cache = new Map<string, Cached>();

  const remember = (meetingId: string, seq: number, state: MeetingState) => {
    const known = cache.get(meetingId);
    if (known && known.seq >= seq) return;
    cache.delete(meetingId);
    cache.set(meetingId, { seq, state });
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  };

  async function at(db: DbOrTx, meeting: MeetingRow, seq = meeting.lastSeq): Promise<MeetingState> {
    // A purged meeting's log is gone: its state comes from the row, and no cached replay outlives it.
    if (meeting.purgedAt) {
      cache.delete(meeting.id);
      return purgedMeetingState(meeting.settings);
    }
    const known = cache.get(meeting.id);
    const usable = known && known.seq <= seq ? known : undefined;
    let state = usable?.state ?? initialMeetingState(meeting.settings);
    let from = usable?.seq ?? 0;
    while (from < seq) {
      const page = await eventsSince(db, meeting.id, from, Math.min(PAGE, seq - from));
      if (page.length === 0) break;
      for (const row of page) state = reduce(state, toMeetingEvent(row));
      from = page[page.length - 1]!.seq;
    }
    if (from === seq && seq === meeting.lastSeq) remember(meeting.id, seq, state);
    return state;
  }

  return {
    at,
    async latest(db, meetingId) {
      const meeting = await findMeetingRow(db, meetingId);
      if (!meeting) return null;
      return { meeting, state: await at(db, meeting) };
    },
    remember,
  };
}
