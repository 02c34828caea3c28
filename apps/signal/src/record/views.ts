import { sharedRecord, type RecordEntry, type SharedRecordItem } from '@polyphony/domain';
import type { CareTeam, MeetingHost, RecordEntryView, RecordResponse } from '@polyphony/protocol';
import type { RecordReader } from './reader.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function entryView(e: SharedRecordItem, names: ReadonlyMap<string, string>): RecordEntryView {
  return {
    id: e.id,
    kind: e.kind,
    text: e.text,
    who: e.who,
    when: e.when,
    meetingAt: iso(e.meetingAt),
    corrects: e.corrects,
    correctedBy: e.correctedBy,
    by: e.by,
    byName: names.get(e.by) ?? '',
    at: new Date(e.at).toISOString(),
  };
}

/** Who holds the meeting and until when this reader can read its record. */
export interface RecordContext {
  readonly organisation: MeetingHost;
  readonly team: CareTeam;
  readonly readableUntil: number | null;
}

/**
 * The record as readers see it: every entry as written, the agreed next meeting, who to reach
 * and until when it can be read.
 */
export function recordResponse(
  reader: RecordReader,
  names: ReadonlyMap<string, string>,
  context: RecordContext,
): RecordResponse {
  const entries: readonly RecordEntry[] = reader.state.record;
  const record = sharedRecord(entries);
  const { meeting } = reader;
  return {
    meeting: {
      id: meeting.id,
      state: meeting.state,
      startedAt: meeting.startedAt?.toISOString() ?? null,
      endedAt: meeting.endedAt?.toISOString() ?? null,
    },
    entries: record.items.map((e) => entryView(e, names)),
    nextMeeting: record.nextMeeting ? entryView(record.nextMeeting, names) : null,
    organisation: context.organisation,
    team: context.team,
    readableUntil: iso(context.readableUntil),
  };
}
