import { sharedRecord, type RecordEntry, type RecordKind } from '@polyphony/domain';
import type { RecordEntryView, RecordResponse } from '@polyphony/protocol';

/** One entry of the shared record as the page shows it (live in the room, or afterwards). */
export interface RecordLine {
  readonly id: string;
  readonly kind: RecordKind;
  readonly text: string;
  readonly who: string | null;
  readonly when: string | null;
  readonly meetingAt: number | null;
  readonly correctedBy: string | null;
  /** The text of the entry this one corrects, if any. */
  readonly correctsText: string | null;
  readonly corrects: string | null;
  readonly byName: string;
  readonly at: number;
}

export interface RecordLines {
  readonly lines: readonly RecordLine[];
  readonly nextMeeting: RecordLine | null;
}

type Source = Omit<RecordLine, 'correctsText'>;

function withCorrected(all: readonly Source[], nextId: string | null): RecordLines {
  const textOf = new Map(all.map((l) => [l.id, l.text]));
  const lines = all.map((l) => ({
    ...l,
    correctsText: l.corrects === null ? null : (textOf.get(l.corrects) ?? null),
  }));
  return { lines, nextMeeting: lines.find((l) => l.id === nextId) ?? null };
}

/** From the log's entries during the meeting (the domain decides corrections and next meeting). */
export function linesFromEntries(
  entries: readonly RecordEntry[],
  nameOf: (participantId: string) => string,
): RecordLines {
  const record = sharedRecord(entries);
  const all = record.items.map((e) => ({
    id: e.id,
    kind: e.kind,
    text: e.text,
    who: e.who,
    when: e.when,
    meetingAt: e.meetingAt,
    corrects: e.corrects,
    correctedBy: e.correctedBy,
    byName: nameOf(e.by),
    at: e.at,
  }));
  return withCorrected(all, record.nextMeeting?.id ?? null);
}

const fromView = (e: RecordEntryView): Source => ({
  id: e.id,
  kind: e.kind,
  text: e.text,
  who: e.who,
  when: e.when,
  meetingAt: e.meetingAt === null ? null : Date.parse(e.meetingAt),
  corrects: e.corrects,
  correctedBy: e.correctedBy,
  byName: e.byName,
  at: Date.parse(e.at),
});

/** From `GET /api/meetings/:id/record` (after the meeting). */
export function linesFromResponse(response: RecordResponse): RecordLines {
  return withCorrected(response.entries.map(fromView), response.nextMeeting?.id ?? null);
}
