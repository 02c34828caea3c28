import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { StaffRole } from '@polyphony/domain';
import { organisations, staff, staffSessions } from '../schema/index.ts';
import type { Db, DbOrTx } from '../types.ts';
import { preparedOn } from './prepared.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type StaffRow = typeof staff.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;

/** A staff member as the app uses them, without the password hash. */
export interface StaffIdentity {
  readonly id: string;
  readonly organisationId: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: StaffRole;
}

const identityColumns = {
  id: staff.id,
  organisationId: staff.organisationId,
  displayName: staff.displayName,
  email: staff.email,
  role: staff.role,
};

export async function countStaff(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(staff);
  return row?.n ?? 0;
}

export interface NewStaff {
  readonly displayName: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
}

/**
 * First-run setup: the organisation and its first admin, only while no staff exist. The staff
 * table is locked for the check, so two concurrent setups cannot both succeed. Null when setup
 * was already done.
 */
export function setupOrganisation(
  db: Db,
  input: {
    readonly organisationName: string;
    /** How people reach the organisation, when said at first run. */
    readonly organisationContact?: string | null;
    readonly admin: Omit<NewStaff, 'role'>;
  },
): Promise<{ staff: StaffIdentity; organisation: OrganisationRow } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${staff} in share row exclusive mode`);
    if ((await countStaff(tx)) > 0) return null;
    const [organisation] = await tx
      .insert(organisations)
      .values({ name: input.organisationName, contact: input.organisationContact ?? null })
      .returning();
    const [admin] = await tx
      .insert(staff)
      .values({ ...input.admin, role: 'admin', organisationId: organisation!.id })
      .returning(identityColumns);
    return { staff: admin!, organisation: organisation! };
  });
}

/** A new staff member, or `email_taken` (e-mail addresses are unique regardless of case). */
export async function createStaff(
  db: Db,
  organisationId: string,
  input: NewStaff,
): Promise<StaffIdentity | 'email_taken'> {
  try {
    const [row] = await db
      .insert(staff)
      .values({ ...input, organisationId })
      .returning(identityColumns);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) return 'email_taken';
    throw err;
  }
}

/** An enabled staff member by e-mail (any case), with the password hash, for sign-in. */
export async function findStaffForSignIn(
  db: Db,
  email: string,
): Promise<(StaffIdentity & { passwordHash: string }) | null> {
  const [row] = await db
    .select({ ...identityColumns, passwordHash: staff.passwordHash })
    .from(staff)
    .where(and(eq(sql`lower(${staff.email})`, email.toLowerCase()), isNull(staff.disabledAt)));
  return row ?? null;
}

/** The organisation's staff, by display name. */
export function listStaff(db: Db, organisationId: string): Promise<StaffIdentity[]> {
  return db
    .select(identityColumns)
    .from(staff)
    .where(eq(staff.organisationId, organisationId))
    .orderBy(asc(staff.displayName), asc(staff.id));
}

/** The organisation's enabled staff without e-mail addresses, by display name (core-team picking). */
export function staffDirectory(
  db: Db,
  organisationId: string,
): Promise<Pick<StaffIdentity, 'id' | 'displayName' | 'role'>[]> {
  return db
    .select({ id: staff.id, displayName: staff.displayName, role: staff.role })
    .from(staff)
    .where(and(eq(staff.organisationId, organisationId), isNull(staff.disabledAt)))
    .orderBy(asc(staff.displayName), asc(staff.id));
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRow | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

/** Sets (or, with null, clears) how people reach the organisation; the updated row. */
export async function setOrganisationContact(
  db: Db,
  id: string,
  contact: string | null,
): Promise<OrganisationRow | null> {
  const [row] = await db
    .update(organisations)
    .set({ contact })
    .where(eq(organisations.id, id))
    .returning();
  return row ?? null;
}

export interface NewStaffSession {
  readonly staffId: string;
  readonly tokenHash: string;
  readonly csrfTokenHash: string;
  readonly expiresAt: Date;
}

export async function createStaffSession(db: Db, session: NewStaffSession): Promise<void> {
  await db.insert(staffSessions).values(session);
}

export interface StaffSessionView {
  readonly sessionId: string;
  readonly csrfTokenHash: string;
  readonly expiresAt: Date;
  readonly staff: StaffIdentity;
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly contact: string | null;
  };
}

/** The session a cookie token's hash belongs to, with its (enabled) staff member; any expiry. */
export async function findStaffSession(
  db: Db,
  tokenHash: string,
): Promise<StaffSessionView | null> {
  // Every staff request reads its session: built once per database (see prepared.ts).
  const query = preparedOn(db, 'findStaffSession', () =>
    db
      .select({
        sessionId: staffSessions.id,
        csrfTokenHash: staffSessions.csrfTokenHash,
        expiresAt: staffSessions.expiresAt,
        staff: identityColumns,
        organisation: {
          id: organisations.id,
          name: organisations.name,
          contact: organisations.contact,
        },
      })
      .from(staffSessions)
      .innerJoin(staff, eq(staff.id, staffSessions.staffId))
      .innerJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(
        and(eq(staffSessions.tokenHash, sql.placeholder('tokenHash')), isNull(staff.disabledAt)),
      )
      .prepare('find_staff_session'),
  );
  const [row] = await query.execute({ tokenHash });
  return row ?? null;
}

export async function deleteStaffSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
}
