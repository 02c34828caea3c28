import { sharedRecord, type RecordEntry, type SharedRecordItem } from '@polyphony/domain';
import type { RecordEntryView, RecordResponse } from '@polyphony/protocol';
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

/** The record as readers see it: every entry as written, and the agreed next meeting. */
export function recordResponse(
  reader: RecordReader,
  names: ReadonlyMap<string, string>,
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
  };
}
