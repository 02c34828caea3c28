import { pgEnum } from 'drizzle-orm/pg-core';
import { MEETING_ROLES, MODES, PARTICIPANT_STATES, STAFF_ROLES } from '@polyphony/domain';

/** Meeting lifecycle; kept here because it is storage vocabulary, not a rule. */
export const MEETING_STATES = ['scheduled', 'live', 'ended'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

export const staffRole = pgEnum('staff_role', STAFF_ROLES);
export const meetingRole = pgEnum('meeting_role', MEETING_ROLES);
export const meetingMode = pgEnum('meeting_mode', MODES);
export const meetingState = pgEnum('meeting_state', MEETING_STATES);
export const participantState = pgEnum('participant_state', PARTICIPANT_STATES);
