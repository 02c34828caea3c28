import { Type, type Static } from 'typebox';
import { StaffRoleSchema, Uuid } from './common.ts';

/** Shortest password accepted when one is set (setup, new staff). Sign-in accepts any length. */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest password accepted (bounds the hashing work a request can cause). */
export const PASSWORD_MAX_LENGTH = 256;

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
const NewPassword = Type.String({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
});
const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

/** A staff member as other staff see them (never the password hash). */
export const StaffMember = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  email: Type.String(),
  role: StaffRoleSchema,
});
export type StaffMember = Static<typeof StaffMember>;

/** Longest organisation contact accepted. */
export const CONTACT_MAX_LENGTH = 200;

/**
 * How people reach the organisation, in free text on one line ("the ward office,
 * 020 123 4567"). Shown to someone whose personal link no longer works, so nobody meets a dead
 * end; never anything clinical.
 */
export const OrganisationContact = Type.String({
  minLength: 1,
  maxLength: CONTACT_MAX_LENGTH,
  pattern: '^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$',
});

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  contact: Type.Union([Type.String(), Type.Null()]),
});
export type Organisation = Static<typeof Organisation>;

/** `PATCH /api/organisation` (admins): set how people reach the organisation, or clear it. */
export const UpdateOrganisationRequest = Type.Object(
  { contact: Type.Union([OrganisationContact, Type.Null()]) },
  { additionalProperties: false },
);
export type UpdateOrganisationRequest = Static<typeof UpdateOrganisationRequest>;

/** `GET /api/setup`: whether first-run setup is still needed (no staff exist yet). */
export const SetupStatusResponse = Type.Object({ needed: Type.Boolean() });
export type SetupStatusResponse = Static<typeof SetupStatusResponse>;

/** `POST /api/setup`: the organisation and its first admin, who is signed in at once. */
export const SetupRequest = Type.Object(
  {
    organisationName: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    organisationContact: Type.Optional(OrganisationContact),
    displayName: PersonName,
    email: Email,
    password: NewPassword,
  },
  { additionalProperties: false },
);
export type SetupRequest = Static<typeof SetupRequest>;

/** `POST /api/session`: sign in. */
export const SignInRequest = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);
export type SignInRequest = Static<typeof SignInRequest>;

/**
 * Who is signed in (`GET /api/me`, and the answer to setup and sign-in). `csrfToken` must be
 * sent as the `X-CSRF-Token` header on every POST, PATCH, PUT and DELETE of this session.
 */
export const MeResponse = Type.Object({
  staff: StaffMember,
  organisation: Organisation,
  csrfToken: Type.String(),
});
export type MeResponse = Static<typeof MeResponse>;

/** `POST /api/staff` (admins): a new account with an initial password, in the admin's organisation. */
export const CreateStaffRequest = Type.Object(
  {
    displayName: PersonName,
    email: Email,
    role: StaffRoleSchema,
    password: NewPassword,
  },
  { additionalProperties: false },
);
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;

/** `GET /api/staff` (admins): the organisation's staff, by display name. */
export const StaffListResponse = Type.Object({ staff: Type.Array(StaffMember) });
export type StaffListResponse = Static<typeof StaffListResponse>;

/**
 * A colleague as any staff member may see them when picking a core team: no e-mail address,
 * which only admins need (`GET /api/staff`).
 */
export const DirectoryEntry = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  role: StaffRoleSchema,
});
export type DirectoryEntry = Static<typeof DirectoryEntry>;

/** `GET /api/staff/directory` (any signed-in staff member): the organisation's active staff. */
export const StaffDirectoryResponse = Type.Object({ staff: Type.Array(DirectoryEntry) });
export type StaffDirectoryResponse = Static<typeof StaffDirectoryResponse>;
