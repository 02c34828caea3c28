import { Type, type Static } from 'typebox';
import { StaffRoleSchema, Uuid } from './common.ts';
import { Body, FilledLine, Line, LINE_PATTERN } from './text.ts';

/** Shortest password accepted when one is set (setup, new staff). Sign-in accepts any length. */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest password accepted (bounds the hashing work a request can cause). */
export const PASSWORD_MAX_LENGTH = 256;

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254, pattern: LINE_PATTERN });
const NewPassword = Line(PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH);
const PersonName = FilledLine(100);

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
export const OrganisationContact = FilledLine(CONTACT_MAX_LENGTH);

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  contact: Type.Union([Type.String(), Type.Null()]),
});
export type Organisation = Static<typeof Organisation>;

/** `PATCH /api/organisation` (admins): set how people reach the organisation, or clear it. */
export const UpdateOrganisationRequest = Body({
  contact: Type.Union([OrganisationContact, Type.Null()]),
});
export type UpdateOrganisationRequest = Static<typeof UpdateOrganisationRequest>;

/** `GET /api/setup`: whether first-run setup is still needed (no staff exist yet). */
export const SetupStatusResponse = Type.Object({ needed: Type.Boolean() });
export type SetupStatusResponse = Static<typeof SetupStatusResponse>;

/** `POST /api/setup`: the organisation and its first admin, who is signed in at once. */
export const SetupRequest = Body({
  organisationName: FilledLine(200),
  organisationContact: Type.Optional(OrganisationContact),
  displayName: PersonName,
  email: Email,
  password: NewPassword,
});
export type SetupRequest = Static<typeof SetupRequest>;

/** `POST /api/session`: sign in. */
export const SignInRequest = Body({
  email: Line(254, 1),
  password: Line(PASSWORD_MAX_LENGTH, 1),
});
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
export const CreateStaffRequest = Body({
  displayName: PersonName,
  email: Email,
  role: StaffRoleSchema,
  password: NewPassword,
});
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;

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

/** A staff account as admins manage it: who, and whether it is disabled. */
export const StaffAccount = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  email: Type.String(),
  role: StaffRoleSchema,
  disabled: Type.Boolean(),
});
export type StaffAccount = Static<typeof StaffAccount>;

/** `GET /api/staff` (admins): every account of the organisation, disabled ones too, by name. */
export const StaffListResponse = Type.Object({ staff: Type.Array(StaffAccount) });
export type StaffListResponse = Static<typeof StaffListResponse>;

/** `PATCH /api/staff/:id` (admins): disable (every session ends at once) or enable an account. */
export const UpdateStaffRequest = Body({ disabled: Type.Boolean() });
export type UpdateStaffRequest = Static<typeof UpdateStaffRequest>;

/** `POST /api/me/password`: one's own new password; the current one proves it is them. */
export const ChangePasswordRequest = Body({
  currentPassword: Line(PASSWORD_MAX_LENGTH, 1),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;

/** A one-time setup link's token in a path. */
export const SetupTokenParams = Type.Object({
  token: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
});
export type SetupTokenParams = Static<typeof SetupTokenParams>;

/**
 * `POST /api/staff/:id/setup-link` (admins): a one-time link for a colleague to set a new
 * password. `path` is the web page (`/staff/password/<token>`); the token is shown only here.
 */
export const SetupLinkResponse = Type.Object({
  token: Type.String(),
  path: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type SetupLinkResponse = Static<typeof SetupLinkResponse>;

/** `GET /api/password-setup/:token`: whose account the link is for (no e-mail address). */
export const SetupLinkPreview = Type.Object({
  displayName: Type.String(),
  organisationName: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type SetupLinkPreview = Static<typeof SetupLinkPreview>;

/** `POST /api/password-setup/:token`: the new password; the answer signs the person in. */
export const UseSetupLinkRequest = Body({ password: NewPassword });
export type UseSetupLinkRequest = Static<typeof UseSetupLinkRequest>;
