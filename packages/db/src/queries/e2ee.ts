// End-to-end encryption's relay (ADR 0035): public device keys and the mailbox of wrapped media
// keys. Nothing here can decrypt anything; the rules of who may post and read are the domain's
// (`e2ee.ts`), asked by the route before these run.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { mediaIdentity, parseMediaIdentity } from '@polyphony/domain';
import { e2eeDeviceKeys, e2eeMailbox, e2eeResendRequests } from '../schema/index.ts';
import type { DbOrTx } from '../types.ts';

export interface StoredDeviceKey {
  readonly identity: string;
  readonly curve: 'X25519' | 'P-256';
  readonly publicKey: string;
}

/**
 * Stores the public key of one admission. `stored`: inserted, or the same key posted again;
 * `replaced`: the device made a new key pair for the same admission (a reload or a media
 * rejoin: private keys are never kept), so the old key is replaced and every wrapped copy from
 * or to the old key is deleted (nobody can unwrap them any more). Call it in a transaction.
 */
export async function putDeviceKey(
  db: DbOrTx,
  meetingId: string,
  participantId: string,
  admissionNumber: number,
  key: { readonly curve: string; readonly publicKey: string },
): Promise<'stored' | 'replaced'> {
  const [before] = await db
    .select({ curve: e2eeDeviceKeys.curve, publicKey: e2eeDeviceKeys.publicKey })
    .from(e2eeDeviceKeys)
    .where(
      and(
        eq(e2eeDeviceKeys.participantId, participantId),
        eq(e2eeDeviceKeys.admissionNumber, admissionNumber),
      ),
    )
    .for('update');
  if (before?.curve === key.curve && before.publicKey === key.publicKey) return 'stored';
  await db
    .insert(e2eeDeviceKeys)
    .values({ meetingId, participantId, admissionNumber, ...key })
    .onConflictDoUpdate({
      target: [e2eeDeviceKeys.participantId, e2eeDeviceKeys.admissionNumber],
      set: { curve: sql`excluded.curve`, publicKey: sql`excluded.public_key` },
    });
  if (!before) return 'stored';
  await db
    .delete(e2eeMailbox)
    .where(
      and(
        eq(e2eeMailbox.meetingId, meetingId),
        or(
          and(
            eq(e2eeMailbox.senderId, participantId),
            eq(e2eeMailbox.senderAdmission, admissionNumber),
          ),
          and(
            eq(e2eeMailbox.recipientId, participantId),
            eq(e2eeMailbox.recipientAdmission, admissionNumber),
          ),
        ),
      ),
    );
  return 'replaced';
}

/** The device keys posted for these identities (those not posted yet are absent). */
export async function deviceKeysOf(
  db: DbOrTx,
  meetingId: string,
  identities: readonly string[],
): Promise<StoredDeviceKey[]> {
  const wanted = new Set(identities);
  const ids = [...new Set(identities.flatMap((i) => parseMediaIdentity(i)?.participantId ?? []))];
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(e2eeDeviceKeys)
    .where(
      and(eq(e2eeDeviceKeys.meetingId, meetingId), inArray(e2eeDeviceKeys.participantId, ids)),
    );
  return rows
    .map((r) => ({
      identity: mediaIdentity(r.participantId, r.admissionNumber),
      curve: r.curve as StoredDeviceKey['curve'],
      publicKey: r.publicKey,
    }))
    .filter((k) => wanted.has(k.identity))
    .sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
}

export interface WrappedCopy {
  readonly to: string;
  readonly iv: string;
  readonly wrapped: string;
}

/**
 * Keeps each copy as the latest from `sender` to its recipient (a later generation replaces an
 * earlier one, the same generation wrapped again replaces it too; an earlier one arriving late
 * changes nothing). A copy answers its recipient's request to resend: the request goes.
 */
export async function putWrappedKeys(
  db: DbOrTx,
  meetingId: string,
  sender: string,
  generation: number,
  keyIndex: number,
  copies: readonly WrappedCopy[],
): Promise<void> {
  const from = parseMediaIdentity(sender);
  if (!from || copies.length === 0) return;
  const rows = copies.flatMap((c) => {
    const to = parseMediaIdentity(c.to);
    return to
      ? [
          {
            meetingId,
            recipientId: to.participantId,
            recipientAdmission: to.admissionNumber,
            senderId: from.participantId,
            senderAdmission: from.admissionNumber,
            generation,
            keyIndex,
            iv: c.iv,
            wrapped: c.wrapped,
          },
        ]
      : [];
  });
  if (rows.length === 0) return;
  await db
    .insert(e2eeMailbox)
    .values(rows)
    .onConflictDoUpdate({
      target: [
        e2eeMailbox.recipientId,
        e2eeMailbox.recipientAdmission,
        e2eeMailbox.senderId,
        e2eeMailbox.senderAdmission,
      ],
      set: {
        generation: sql`excluded.generation`,
        keyIndex: sql`excluded.key_index`,
        iv: sql`excluded.iv`,
        wrapped: sql`excluded.wrapped`,
        createdAt: sql`now()`,
        taken: false,
      },
      setWhere: sql`${e2eeMailbox.generation} <= excluded.generation`,
    });
  await db
    .delete(e2eeResendRequests)
    .where(
      and(
        eq(e2eeResendRequests.senderId, from.participantId),
        eq(e2eeResendRequests.senderAdmission, from.admissionNumber),
        or(
          ...rows.map((r) =>
            and(
              eq(e2eeResendRequests.recipientId, r.recipientId),
              eq(e2eeResendRequests.recipientAdmission, r.recipientAdmission),
            ),
          ),
        ),
      ),
    );
}

/** `recipient` asks `sender` to wrap its current media key for it again (one request a pair). */
export async function putResendRequest(
  db: DbOrTx,
  meetingId: string,
  sender: string,
  recipient: string,
): Promise<void> {
  const from = parseMediaIdentity(sender);
  const to = parseMediaIdentity(recipient);
  if (!from || !to) return;
  await db
    .insert(e2eeResendRequests)
    .values({
      meetingId,
      senderId: from.participantId,
      senderAdmission: from.admissionNumber,
      recipientId: to.participantId,
      recipientAdmission: to.admissionNumber,
    })
    .onConflictDoNothing();
}

/** Who among `recipients` asked `sender` to resend its key and has not had a copy since. */
export async function resendRequestsFor(
  db: DbOrTx,
  meetingId: string,
  sender: string,
  recipients: readonly string[],
): Promise<string[]> {
  const from = parseMediaIdentity(sender);
  if (!from) return [];
  const wanted = new Set(recipients);
  const rows = await db
    .select({
      id: e2eeResendRequests.recipientId,
      admission: e2eeResendRequests.recipientAdmission,
    })
    .from(e2eeResendRequests)
    .where(
      and(
        eq(e2eeResendRequests.meetingId, meetingId),
        eq(e2eeResendRequests.senderId, from.participantId),
        eq(e2eeResendRequests.senderAdmission, from.admissionNumber),
      ),
    );
  return rows.map((r) => mediaIdentity(r.id, r.admission)).filter((i) => wanted.has(i));
}

export interface MailboxEntry {
  readonly sender: string;
  readonly generation: number;
  readonly keyIndex: number;
  readonly iv: string;
  readonly wrapped: string;
}

/** The latest copy from each of `senders` addressed to `recipient`, and whether it was taken. */
export async function mailboxOf(
  db: DbOrTx,
  meetingId: string,
  recipient: string,
  senders: readonly string[],
): Promise<(MailboxEntry & { readonly taken: boolean })[]> {
  const to = parseMediaIdentity(recipient);
  if (!to) return [];
  const wanted = new Set(senders);
  const rows = await db
    .select()
    .from(e2eeMailbox)
    .where(
      and(
        eq(e2eeMailbox.meetingId, meetingId),
        eq(e2eeMailbox.recipientId, to.participantId),
        eq(e2eeMailbox.recipientAdmission, to.admissionNumber),
      ),
    );
  return rows
    .map((r) => ({
      sender: mediaIdentity(r.senderId, r.senderAdmission),
      generation: r.generation,
      keyIndex: r.keyIndex,
      iv: r.iv,
      wrapped: r.wrapped,
      taken: r.taken,
    }))
    .filter((m) => wanted.has(m.sender));
}

/**
 * Marks the copies addressed to `recipient` as taken: exactly those its page was just handed
 * (each sender's generation as read, so a newer copy written meanwhile stays untaken). Says
 * whether any was not taken before: then its sender should hear of it.
 */
export async function takeMailbox(
  db: DbOrTx,
  meetingId: string,
  recipient: string,
  handed: readonly { readonly sender: string; readonly generation: number }[],
): Promise<boolean> {
  const to = parseMediaIdentity(recipient);
  const from = handed.flatMap((h) => {
    const sender = parseMediaIdentity(h.sender);
    return sender ? [{ ...sender, generation: h.generation }] : [];
  });
  if (!to || from.length === 0) return false;
  const rows = await db
    .update(e2eeMailbox)
    .set({ taken: true })
    .where(
      and(
        eq(e2eeMailbox.meetingId, meetingId),
        eq(e2eeMailbox.recipientId, to.participantId),
        eq(e2eeMailbox.recipientAdmission, to.admissionNumber),
        eq(e2eeMailbox.taken, false),
        or(
          ...from.map((f) =>
            and(
              eq(e2eeMailbox.senderId, f.participantId),
              eq(e2eeMailbox.senderAdmission, f.admissionNumber),
              eq(e2eeMailbox.generation, f.generation),
            ),
          ),
        ),
      ),
    )
    .returning({ generation: e2eeMailbox.generation });
  return rows.length > 0;
}

export interface TakenCopy {
  readonly to: string;
  readonly generation: number;
}

/** Which of `sender`'s latest copies to `recipients` their pages have read (by generation). */
export async function copiesTaken(
  db: DbOrTx,
  meetingId: string,
  sender: string,
  recipients: readonly string[],
): Promise<TakenCopy[]> {
  const from = parseMediaIdentity(sender);
  if (!from) return [];
  const wanted = new Set(recipients);
  const rows = await db
    .select({
      id: e2eeMailbox.recipientId,
      admission: e2eeMailbox.recipientAdmission,
      generation: e2eeMailbox.generation,
    })
    .from(e2eeMailbox)
    .where(
      and(
        eq(e2eeMailbox.meetingId, meetingId),
        eq(e2eeMailbox.senderId, from.participantId),
        eq(e2eeMailbox.senderAdmission, from.admissionNumber),
        eq(e2eeMailbox.taken, true),
      ),
    );
  return rows
    .map((r) => ({ to: mediaIdentity(r.id, r.admission), generation: r.generation }))
    .filter((c) => wanted.has(c.to))
    .sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}
