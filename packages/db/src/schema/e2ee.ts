import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { meetings } from './meetings.ts';
import { participants } from './participants.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The public device key of one admission (end-to-end encryption, ADR 0035). The private key
 * never leaves the browser. One key per admission, never replaced; deleted with the participant
 * at the retention purge.
 */
export const e2eeDeviceKeys = pgTable(
  'e2ee_device_keys',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    admissionNumber: integer('admission_number').notNull(),
    /** `X25519` or `P-256`. */
    curve: text('curve').notNull(),
    /** The raw public key, base64url. */
    publicKey: text('public_key').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.admissionNumber] }),
    index('e2ee_device_keys_meeting_idx').on(t.meetingId),
  ],
);

/**
 * The mailbox of wrapped media keys: the latest copy each sender (one admission) addressed to
 * each recipient (one admission). Opaque to the server (AES-GCM under a key only the two devices
 * can derive); kept across reconnects; never logged; deleted with the participants.
 */
export const e2eeMailbox = pgTable(
  'e2ee_mailbox',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    recipientAdmission: integer('recipient_admission').notNull(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    senderAdmission: integer('sender_admission').notNull(),
    generation: integer('generation').notNull(),
    keyIndex: integer('key_index').notNull(),
    iv: text('iv').notNull(),
    wrapped: text('wrapped').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * The recipient's page has read this copy (its generation): the sender may switch to the
     * key before its fallback delay. A newer copy is untaken again.
     */
    taken: boolean('taken').notNull().default(false),
  },
  (t) => [
    primaryKey({
      columns: [t.recipientId, t.recipientAdmission, t.senderId, t.senderAdmission],
    }),
    index('e2ee_mailbox_meeting_idx').on(t.meetingId),
  ],
);

/**
 * "Resend keys": a recipient (one admission) asked a sender (one admission) to wrap its current
 * media key for it again. One row per pair; the sender's next copy to that recipient answers it
 * (the row goes). No key material; deleted with the participants.
 */
export const e2eeResendRequests = pgTable(
  'e2ee_resend_requests',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    senderAdmission: integer('sender_admission').notNull(),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    recipientAdmission: integer('recipient_admission').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      columns: [t.senderId, t.senderAdmission, t.recipientId, t.recipientAdmission],
    }),
    index('e2ee_resend_requests_meeting_idx').on(t.meetingId),
  ],
);
