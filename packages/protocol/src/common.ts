import { Type, type Static } from 'typebox';
import {
  LANGUAGE_TAG_PATTERN,
  MAX_LANGUAGE_TAG,
  MEETING_ROLES,
  MODES,
  PARTICIPANT_STATES,
  STAFF_ROLES,
} from '@polyphony/domain';

/** A database id. */
export const Uuid = Type.String({ format: 'uuid' });
export type Uuid = Static<typeof Uuid>;

/** A moment in time as ISO 8601 with offset (the server sends UTC, `…Z`). */
export const Timestamp = Type.String({ format: 'date-time' });
export type Timestamp = Static<typeof Timestamp>;

/** `:id` in a path. */
export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

/** The domain's vocabularies as schemas, defined once for every message that carries them. */
export const MeetingRoleSchema = Type.Enum(MEETING_ROLES);
export const ModeSchema = Type.Enum(MODES);
export const ParticipantStateSchema = Type.Enum(PARTICIPANT_STATES);
export const StaffRoleSchema = Type.Enum(STAFF_ROLES);

/**
 * The language an interpreter interprets, as a BCP 47 tag ("ar", "fa-AF", "fse"); each page names
 * it in its own language (ADR 0027). The server stores it canonical (domain `canonicalLanguage`).
 */
export const LanguageTag = Type.String({
  minLength: 2,
  maxLength: MAX_LANGUAGE_TAG,
  pattern: LANGUAGE_TAG_PATTERN,
});
/** An interpreter's language on what the server sends; null for every other role. */
export const InterpretedLanguage = Type.Union([Type.String(), Type.Null()]);

/**
 * Who holds a meeting, as the people invited see it: the organisation's name and how to reach
 * it (its configured contact, free text on one line; null when it has not said). Shown on the
 * pre-join page and the shared record, so nobody has a page without a way to ask.
 */
export const MeetingHost = Type.Object({
  name: Type.String(),
  contact: Type.Union([Type.String(), Type.Null()]),
});
export type MeetingHost = Static<typeof MeetingHost>;

/** The network's core team by display name (the care team people meet). */
export const CareTeam = Type.Array(Type.Object({ displayName: Type.String() }));
export type CareTeam = Static<typeof CareTeam>;
