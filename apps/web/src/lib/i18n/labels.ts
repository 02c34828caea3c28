import { NAMES_A_LANGUAGE, type MeetingRole, type Mode } from '@polyphony/domain';
import type { ErrorCode } from '@polyphony/protocol';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { languageChoices, languageName, type OwnLanguageNames } from './languages.ts';

/** UI text for every meeting role; a new role fails compilation until it has a label. */
export const ROLE_LABEL = {
  facilitator: () => m.role_facilitator(),
  cofacilitator: () => m.role_cofacilitator(),
  team: () => m.role_team(),
  centre: () => m.role_centre(),
  network: () => m.role_network(),
  observer: () => m.role_observer(),
  interpreter: () => m.role_interpreter(),
} as const satisfies Record<MeetingRole, () => string>;

/** Names of languages the browser may not know (sign languages). */
const OWN_LANGUAGE_NAMES: OwnLanguageNames = {
  fse: () => m.language_fse(),
  fss: () => m.language_fss(),
  bfi: () => m.language_bfi(),
};

/** A language tag named in the page's language ("ar" → "Arabic"). */
export function languageText(tag: string): string {
  return languageName(tag, getLocale(), OWN_LANGUAGE_NAMES);
}

/** The languages staff may choose for an interpreter's link, named in the page's language. */
export function interpreterLanguageChoices(): { readonly tag: string; readonly name: string }[] {
  return languageChoices(getLocale(), OWN_LANGUAGE_NAMES);
}

/** A role as every roster shows it: an interpreter with their language ("Interpreter — Arabic"). */
export function roleText(role: MeetingRole, language: string | null): string {
  return NAMES_A_LANGUAGE[role] && language !== null
    ? m.role_interpreter_for({ language: languageText(language) })
    : ROLE_LABEL[role]();
}

/** The calm banner text for each meeting mode. */
export const MODE_BANNER = {
  dialogue: () => m.mode_dialogue(),
  reflecting: () => m.mode_reflecting(),
} as const satisfies Record<Mode, () => string>;

/** UI text for every coded error (protocol's `ErrorCode`), key `error_<code lower>`. */
export const ERROR_TEXT = {
  BAD_REQUEST: () => m.error_bad_request(),
  VALIDATION_FAILED: () => m.error_validation_failed(),
  UNAUTHENTICATED: () => m.error_unauthenticated(),
  INVALID_CREDENTIALS: () => m.error_invalid_credentials(),
  WRONG_PASSWORD: () => m.error_wrong_password(),
  FORBIDDEN: () => m.error_forbidden(),
  CSRF_FAILED: () => m.error_csrf_failed(),
  ORIGIN_REJECTED: () => m.error_origin_rejected(),
  ROLE_NOT_ALLOWED: () => m.error_role_not_allowed(),
  NOT_FOUND: () => m.error_not_found(),
  CONFLICT: () => m.error_conflict(),
  SETUP_ALREADY_DONE: () => m.error_setup_already_done(),
  EMAIL_TAKEN: () => m.error_email_taken(),
  LAST_ADMIN: () => m.error_last_admin(),
  EPISODE_CLOSED: () => m.error_episode_closed(),
  CENTRE_ALREADY_SET: () => m.error_centre_already_set(),
  ALREADY_INVITED: () => m.error_already_invited(),
  MEETING_ENDED: () => m.error_meeting_ended(),
  NAME_TAKEN: () => m.error_name_taken(),
  PAYLOAD_TOO_LARGE: () => m.error_payload_too_large(),
  RATE_LIMITED: () => m.error_rate_limited(),
  LINK_INVALID: () => m.error_link_invalid(),
  NOT_A_PARTICIPANT: () => m.error_not_a_participant(),
  NOT_ADMITTED: () => m.error_not_admitted(),
  TARGET_PROTECTED: () => m.error_target_protected(),
  LINK_REVOKED: () => m.error_link_revoked(),
  MOVED_TO_ANOTHER_DEVICE: () => m.error_moved_to_another_device(),
  UNKNOWN_PARTICIPANT: () => m.error_unknown_participant(),
  TARGET_NOT_FOUND: () => m.error_target_not_found(),
  TARGET_REQUIRED: () => m.error_target_required(),
  SELF_TARGET: () => m.error_self_target(),
  INVALID_INPUT: () => m.error_invalid_input(),
  TARGET_NOT_WAITING: () => m.error_target_not_waiting(),
  TARGET_NOT_ADMITTED: () => m.error_target_not_admitted(),
  NOT_IN_REFLECTION: () => m.error_not_in_reflection(),
  MODE_NOT_ALLOWED: () => m.error_mode_not_allowed(),
  CONSENT_NOT_NEEDED: () => m.error_consent_not_needed(),
  KNOCK_TOO_SOON: () => m.error_knock_too_soon(),
  MAIL_NOT_CONFIGURED: () => m.error_mail_not_configured(),
  MAIL_FAILED: () => m.error_mail_failed(),
  INTERNAL: () => m.error_internal(),
  UNAVAILABLE: () => m.error_unavailable(),
  DATABASE_UNAVAILABLE: () => m.error_database_unavailable(),
} as const satisfies Record<ErrorCode, () => string>;

/**
 * A command's failure as the meeting room says it: while the service's database is briefly
 * gone the controls pause, but the call itself (LiveKit) goes on, and the room says so.
 */
export function roomErrorText(code: ErrorCode): string {
  return code === 'DATABASE_UNAVAILABLE' ? m.room_controls_unavailable() : ERROR_TEXT[code]();
}
