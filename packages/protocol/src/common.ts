import { Type, type Static } from 'typebox';
import { MEETING_ROLES, MODES, PARTICIPANT_STATES, STAFF_ROLES } from '@polyphony/domain';

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
