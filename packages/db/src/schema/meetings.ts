import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, timestamp, uuid, text } from 'drizzle-orm/pg-core';
import { DEFAULT_MEETING_SETTINGS, type MeetingSettings } from '@polyphony/domain';
import { meetingMode, meetingRole, meetingState } from './enums.ts';
import { networkMembers, networks } from './networks.ts';
import { staff } from './organisations.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    /** Null for an immediate meeting. */
    scheduledAt: ts('scheduled_at'),
    state: meetingState('state').notNull().default('scheduled'),
    mode: meetingMode('mode').notNull().default('dialogue'),
    settings: jsonb('settings')
      .$type<MeetingSettings>()
      .notNull()
      .default(DEFAULT_MEETING_SETTINGS),
    /** Highest event sequence number; bumped in the same transaction as each append. */
    lastSeq: integer('last_seq').notNull().default(0),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    /**
     * Set when the retention purge removed the meeting's log, participants and links; the row
     * stays as the dashboard's non-personal summary (times and the count below).
     */
    purgedAt: ts('purged_at'),
    /** Distinct core-team staff admitted, frozen at the purge (the participants are gone). */
    coreTeamAttendees: integer('core_team_attendees'),
  },
  (t) => [index('meetings_network_idx').on(t.networkId)],
);

/** A personal link. Only the SHA-256 of the token is stored. */
export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    networkMemberId: uuid('network_member_id').references(() => networkMembers.id, {
      onDelete: 'cascade',
    }),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'cascade' }),
    role: meetingRole('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('invites_meeting_idx').on(t.meetingId),
    check('invites_member_or_staff', sql`(${t.networkMemberId} is null) <> (${t.staffId} is null)`),
  ],
);
