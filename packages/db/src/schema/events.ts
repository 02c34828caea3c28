import { sql } from 'drizzle-orm';
import { MEETING_EVENT_TYPES, type MeetingEventType } from '@polyphony/domain';
import {
  check,
  bigint,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  integer,
  uuid,
} from 'drizzle-orm/pg-core';
import { meetings } from './meetings.ts';
import { participants } from './participants.ts';
import { staff } from './organisations.ts';

/** The meeting's append-only log. Updates are refused by a trigger (see migrations). */
export const meetingEvents = pgTable(
  'meeting_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').$type<MeetingEventType>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    actorParticipantId: uuid('actor_participant_id').references(() => participants.id),
    actorStaffId: uuid('actor_staff_id').references(() => staff.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_events_meeting_seq_key').on(t.meetingId, t.seq),
    check(
      'meeting_events_type_known',
      sql.raw(`"type" in (${MEETING_EVENT_TYPES.map((type) => `'${type}'`).join(', ')})`),
    ),
  ],
);

/** LiveKit webhook ids already handled, for idempotency. */
export const processedWebhooks = pgTable('processed_webhooks', {
  id: text('id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
