import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import type { AccountFacts, SetupLinkFacts } from '@polyphony/domain';
import { organisations, staff, staffSessions, staffSetupLinks } from '../schema/index.ts';
import type { Db, Tx } from '../types.ts';
import type { OrganisationRow, StaffIdentity } from './staff.ts';

/** A staff account as admins see it: the identity and whether it is disabled. */
export interface StaffAccount extends StaffIdentity {
  readonly disabledAt: Date | null;
}

const accountColumns = {
  id: staff.id,
  organisationId: staff.organisationId,
  displayName: staff.displayName,
  email: staff.email,
  role: staff.role,
  disabledAt: staff.disabledAt,
};

/** Runs inside the transaction that ends sessions (the live channels' NOTIFY goes there). */
export type SessionsEndedAnnouncer = (tx: Tx) => Promise<void>;

/** The organisation's staff accounts, disabled ones included, by display name. */
export function listStaffAccounts(db: Db, organisationId: string): Promise<StaffAccount[]> {
  return db
    .select(accountColumns)
    .from(staff)
    .where(eq(staff.organisationId, organisationId))
    .orderBy(asc(staff.displayName), asc(staff.id));
}

/**
 * Disables or enables a staff account of the organisation, in one transaction. The
 * organisation's admin rows are locked first, so two admins disabling each other at once cannot
 * leave nobody; `refuse` (the domain's rule) is asked under the lock with the count of enabled
 * admins. Disabling ends every session of the person and their unused setup links, and runs
 * `announce` (their live channels close on every node).
 */
export function setStaffDisabled(
  db: Db,
  input: {
    readonly organisationId: string;
    readonly staffId: string;
    readonly disabled: boolean;
    readonly at: Date;
    readonly refuse: (target: AccountFacts, enabledAdmins: number) => string | null;
    readonly announce: SessionsEndedAnnouncer;
  },
): Promise<StaffAccount | 'not_found' | { readonly refused: string }> {
  return db.transaction(async (tx) => {
    await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.organisationId, input.organisationId), eq(staff.role, 'admin')))
      .for('update');
    const [target] = await tx
      .select(accountColumns)
      .from(staff)
      .where(and(eq(staff.id, input.staffId), eq(staff.organisationId, input.organisationId)))
      .for('update');
    if (!target) return 'not_found';
    if (input.disabled) {
      const [admins] = await tx
        .select({ n: count() })
        .from(staff)
        .where(
          and(
            eq(staff.organisationId, input.organisationId),
            eq(staff.role, 'admin'),
            isNull(staff.disabledAt),
          ),
        );
      const refused = input.refuse(
        { role: target.role, disabled: target.disabledAt !== null },
        admins?.n ?? 0,
      );
      if (refused !== null) return { refused };
    }
    const [row] = await tx
      .update(staff)
      .set({ disabledAt: input.disabled ? (target.disabledAt ?? input.at) : null })
      .where(eq(staff.id, target.id))
      .returning(accountColumns);
    if (input.disabled) {
      await tx.delete(staffSessions).where(eq(staffSessions.staffId, target.id));
      await tx
        .delete(staffSetupLinks)
        .where(and(eq(staffSetupLinks.staffId, target.id), isNull(staffSetupLinks.usedAt)));
      await input.announce(tx);
    }
    return row!;
  });
}

/** The password hash of an enabled staff member (to check their current password). */
export async function findPasswordHash(db: Db, staffId: string): Promise<string | null> {
  const [row] = await db
    .select({ hash: staff.passwordHash })
    .from(staff)
    .where(and(eq(staff.id, staffId), isNull(staff.disabledAt)));
  return row?.hash ?? null;
}

/**
 * Sets a staff member's own new password and ends every other session of theirs (`keep`
 * stays), in one transaction that also runs `announce`.
 */
export function changeOwnPassword(
  db: Db,
  input: {
    readonly staffId: string;
    readonly passwordHash: string;
    readonly keepSessionId: string;
    readonly announce: SessionsEndedAnnouncer;
  },
): Promise<void> {
  return db.transaction(async (tx) => {
    await tx
      .update(staff)
      .set({ passwordHash: input.passwordHash })
      .where(eq(staff.id, input.staffId));
    await tx
      .delete(staffSessions)
      .where(
        and(eq(staffSessions.staffId, input.staffId), ne(staffSessions.id, input.keepSessionId)),
      );
    await tx
      .delete(staffSetupLinks)
      .where(and(eq(staffSetupLinks.staffId, input.staffId), isNull(staffSetupLinks.usedAt)));
    await input.announce(tx);
  });
}

/**
 * A new one-time setup link for a staff member of the organisation; any earlier unused link of
 * theirs stops working (only the newest one an admin sent is valid). `not_found` for someone
 * outside the organisation, `disabled` for a disabled account.
 */
export function createSetupLink(
  db: Db,
  input: {
    readonly organisationId: string;
    readonly staffId: string;
    readonly tokenHash: string;
    readonly expiresAt: Date;
    readonly createdBy: string;
  },
): Promise<'created' | 'not_found' | 'disabled'> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ disabledAt: staff.disabledAt })
      .from(staff)
      .where(and(eq(staff.id, input.staffId), eq(staff.organisationId, input.organisationId)))
      .for('update');
    if (!target) return 'not_found';
    if (target.disabledAt !== null) return 'disabled';
    await tx
      .delete(staffSetupLinks)
      .where(and(eq(staffSetupLinks.staffId, input.staffId), isNull(staffSetupLinks.usedAt)));
    await tx.insert(staffSetupLinks).values({
      staffId: input.staffId,
      tokenHash: input.tokenHash,
      expiresAt: input.expiresAt,
      createdBy: input.createdBy,
    });
    return 'created';
  });
}

/** A setup link by its token's hash, with what the page shows and the rule needs. */
export interface SetupLinkView {
  readonly id: string;
  readonly facts: SetupLinkFacts;
  readonly staff: StaffIdentity;
}

const linkColumns = {
  id: staffSetupLinks.id,
  expiresAt: staffSetupLinks.expiresAt,
  usedAt: staffSetupLinks.usedAt,
  disabledAt: staff.disabledAt,
  staff: {
    id: staff.id,
    organisationId: staff.organisationId,
    displayName: staff.displayName,
    email: staff.email,
    role: staff.role,
  },
};

type LinkRow = {
  id: string;
  expiresAt: Date;
  usedAt: Date | null;
  disabledAt: Date | null;
  staff: StaffIdentity;
};
const toLinkView = (row: LinkRow): SetupLinkView => ({
  id: row.id,
  staff: row.staff,
  facts: {
    expiresAt: row.expiresAt.getTime(),
    usedAt: row.usedAt?.getTime() ?? null,
    accountDisabled: row.disabledAt !== null,
  },
});

export async function findSetupLink(db: Db, tokenHash: string): Promise<SetupLinkView | null> {
  const [row] = await db
    .select(linkColumns)
    .from(staffSetupLinks)
    .innerJoin(staff, eq(staff.id, staffSetupLinks.staffId))
    .where(eq(staffSetupLinks.tokenHash, tokenHash));
  return row ? toLinkView(row) : null;
}

/**
 * Uses a setup link: in one transaction, the link (locked) is asked `usable` again, marked used,
 * the password set, and every session of the person ended (`announce` runs). The person and
 * their organisation, or null when the link cannot be used (any reason: one answer).
 */
export function useSetupLink(
  db: Db,
  input: {
    readonly tokenHash: string;
    readonly passwordHash: string;
    readonly at: Date;
    readonly usable: (facts: SetupLinkFacts) => boolean;
    readonly announce: (tx: Tx, staffId: string) => Promise<void>;
  },
): Promise<{ staff: StaffIdentity; organisation: OrganisationRow } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select(linkColumns)
      .from(staffSetupLinks)
      .innerJoin(staff, eq(staff.id, staffSetupLinks.staffId))
      .where(eq(staffSetupLinks.tokenHash, input.tokenHash))
      .for('update');
    if (!row) return null;
    const link = toLinkView(row);
    if (!input.usable(link.facts)) return null;
    await tx
      .update(staffSetupLinks)
      .set({ usedAt: input.at })
      .where(eq(staffSetupLinks.id, link.id));
    await tx
      .update(staff)
      .set({ passwordHash: input.passwordHash })
      .where(eq(staff.id, link.staff.id));
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, link.staff.id));
    await input.announce(tx, link.staff.id);
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, link.staff.organisationId));
    return { staff: link.staff, organisation: organisation! };
  });
}

/** Removes setup links used or expired before `before`; returns how many (retention). */
export async function purgeSetupLinks(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(staffSetupLinks)
    .where(
      sql`coalesce(${staffSetupLinks.usedAt}, ${staffSetupLinks.expiresAt}) <= ${before.toISOString()}::timestamptz`,
    )
    .returning({ id: staffSetupLinks.id });
  return rows.length;
}

/** Whether a staff session still exists (a live channel checks once it is registered). */
export async function staffSessionExists(db: Db, sessionId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: staffSessions.id })
    .from(staffSessions)
    .where(eq(staffSessions.id, sessionId));
  return row !== undefined;
}
