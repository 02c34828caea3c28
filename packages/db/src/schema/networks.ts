import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, staff } from './organisations.ts';

/** One person's care episode. */
export const networks = pgTable(
  'networks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the team closed the care episode; null while it is open. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => staff.id, { onDelete: 'set null' }),
    /** When the retention purge removed its members (names, relationships, their links). */
    membersPurgedAt: timestamp('members_purged_at', { withTimezone: true }),
  },
  (t) => [index('networks_organisation_idx').on(t.organisationId)],
);

export const coreTeamMembers = pgTable(
  'core_team_members',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.networkId, t.staffId] }),
    index('core_team_staff_idx').on(t.staffId),
  ],
);

/**
 * Who was on a network's core team when: one row per stretch (`until` null while it lasts).
 * `core_team_members` is the current team; these periods are its history, so the continuity
 * figure of a meeting counts the team as it was when the meeting started.
 */
export const coreTeamPeriods = pgTable(
  'core_team_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    from: timestamp('from_at', { withTimezone: true }).notNull(),
    until: timestamp('until_at', { withTimezone: true }),
  },
  (t) => [
    index('core_team_periods_network_idx').on(t.networkId),
    uniqueIndex('core_team_periods_one_open_key')
      .on(t.networkId, t.staffId)
      .where(sql`${t.until} is null`),
  ],
);

export const networkMembers = pgTable(
  'network_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    relationship: text('relationship').notNull().default(''),
    isCentre: boolean('is_centre').notNull().default(false),
    /** The centre person's advance consent to this member, and which staff member recorded it. */
    preApprovedAt: timestamp('pre_approved_at', { withTimezone: true }),
    preApprovedBy: uuid('pre_approved_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('network_members_network_idx').on(t.networkId),
    uniqueIndex('network_members_one_centre_key')
      .on(t.networkId)
      .where(sql`${t.isCentre}`),
  ],
);
