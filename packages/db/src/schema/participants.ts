import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Companion } from '@polyphony/domain';
import { meetingRole, participantState } from './enums.ts';
import { invites, meetings } from './meetings.ts';
import { staff } from './organisations.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One person's place in one meeting (reached from one device at a time, see `guestSessions`):
 * the lobby, admission and media identity.
 */
export const participants = pgTable(
  'participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    inviteId: uuid('invite_id').references(() => invites.id, { onDelete: 'set null' }),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    role: meetingRole('role').notNull(),
    displayName: text('display_name').notNull(),
    /** The language an interpreter interprets (a BCP 47 tag, ADR 0027); null for other roles. */
    language: text('language'),
    /** Who is physically with this device ("Mum and Grandad"). */
    companions: jsonb('companions').$type<readonly Companion[]>().notNull().default([]),
    /**
     * The "if we get cut off" plan: who controls this device and how to reach them if the call
     * drops. Null when none was declared. Only the person and facilitators in the room read it;
     * never in the log or the logs (ADR 0028); deleted with the row at the retention purge.
     */
    planControlledBy: text('plan_controlled_by'),
    planReachBy: text('plan_reach_by'),
    state: participantState('state').notNull().default('waiting'),
    /** Bumped on each admission; the LiveKit identity is `<id>.<admissionNumber>`. */
    admissionNumber: integer('admission_number').notNull().default(0),
    facilitatorApprovedAt: ts('facilitator_approved_at'),
    centreConsentedAt: ts('centre_consented_at'),
    wishToRespondAt: ts('wish_to_respond_at'),
    lastKnockAt: ts('last_knock_at'),
    admittedAt: ts('admitted_at'),
    leftAt: ts('left_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('participants_meeting_idx').on(t.meetingId)],
);

/**
 * One device's session of a personal link: each browser the link is opened in gets its own.
 * Its id is the device the domain's events name; which device holds the person's place is in
 * the meeting's log, never here. The cookie's token is stored only as its SHA-256.
 */
export const guestSessions = pgTable(
  'guest_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('guest_sessions_participant_idx').on(t.participantId)],
);

/**
 * When each device's live channel to a meeting was last seen (refreshed on connect and on each
 * heartbeat answer, stamped closed on disconnect), shared by every signalling node. A waiting
 * page whose channel has been gone past the bound leaves the lobby (domain `isChannelGone`).
 * No names or tokens: a participant id, a guest session id ('' for staff) and two times.
 */
export const liveChannels = pgTable(
  'live_channels',
  {
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    device: text('device').notNull(),
    seenAt: ts('seen_at').notNull(),
    closedAt: ts('closed_at'),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.device] })],
);
