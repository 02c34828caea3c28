import { Type, type Static } from 'typebox';
import { MAX_RECORD_DETAIL, MAX_RECORD_TEXT, RECORD_KINDS } from '@polyphony/domain';
import { CareTeam, MeetingHost, MeetingRoleSchema, Timestamp, Uuid } from './common.ts';
import { LiveEvent } from './live.ts';
import { MEETING_STATES } from './meetings.ts';
import { Body, FreeText, Line } from './text.ts';

const RecordKind = Type.Enum(RECORD_KINDS);
const Detail = Line(MAX_RECORD_DETAIL);

/**
 * `POST /api/meetings/:id/record` (facilitators and cofacilitators): add one entry. `entryId` is
 * chosen by the client, so a retry adds nothing twice. `who`/`when` go with a next step,
 * `meetingAt` with the next meeting's time; `corrects` names an earlier entry this one corrects
 * (entries are never edited or deleted). The domain refuses what does not fit the kind.
 */
export const RecordRequest = Body({
  entryId: Uuid,
  kind: RecordKind,
  text: FreeText(MAX_RECORD_TEXT),
  who: Type.Optional(Detail),
  when: Type.Optional(Detail),
  meetingAt: Type.Optional(Timestamp),
  corrects: Type.Optional(Uuid),
});
export type RecordRequest = Static<typeof RecordRequest>;

/** One entry as readers see it, with who wrote it and the entry that corrects it, if any. */
export const RecordEntryView = Type.Object({
  id: Type.String(),
  kind: RecordKind,
  text: Type.String(),
  who: Type.Union([Type.String(), Type.Null()]),
  when: Type.Union([Type.String(), Type.Null()]),
  meetingAt: Type.Union([Timestamp, Type.Null()]),
  corrects: Type.Union([Type.String(), Type.Null()]),
  correctedBy: Type.Union([Type.String(), Type.Null()]),
  by: Type.String(),
  byName: Type.String(),
  at: Timestamp,
});
export type RecordEntryView = Static<typeof RecordEntryView>;

/**
 * `GET /api/meetings/:id/record`: the shared record and the agreed next meeting. While the
 * meeting runs, for those in the room; once it has ended, for everyone who was let in at least
 * once, through their own link until it expires or is revoked; and for staff of the
 * organisation.
 */
export const RecordResponse = Type.Object({
  meeting: Type.Object({
    id: Uuid,
    state: Type.Enum(MEETING_STATES),
    startedAt: Type.Union([Timestamp, Type.Null()]),
    endedAt: Type.Union([Timestamp, Type.Null()]),
  }),
  entries: Type.Array(RecordEntryView),
  nextMeeting: Type.Union([RecordEntryView, Type.Null()]),
  /** The organisation holding the meeting and how to reach it (kept on the printed record). */
  organisation: MeetingHost,
  /** The network's core team, by display name. */
  team: CareTeam,
  /**
   * Until when this reader can read the record: for someone who was in the room, when their
   * link expires; for staff, when the retention purge is due (ADR 0011). Null while the meeting
   * has not ended (the purge date is not known yet).
   */
  readableUntil: Type.Union([Timestamp, Type.Null()]),
});
export type RecordResponse = Static<typeof RecordResponse>;

/** Someone the timeline may name. */
export const TimelinePerson = Type.Object({
  participantId: Type.String(),
  displayName: Type.String(),
  role: MeetingRoleSchema,
});
export type TimelinePerson = Static<typeof TimelinePerson>;

/**
 * `GET /api/meetings/:id/timeline`: the meeting's log up to `seq`, as on the live channel, and
 * the names it may show (people who have been in the room; for those who hold a key to the
 * door, also people who knocked). Same readers as the record.
 */
export const TimelineResponse = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  events: Type.Array(LiveEvent),
  people: Type.Array(TimelinePerson),
});
export type TimelineResponse = Static<typeof TimelineResponse>;
