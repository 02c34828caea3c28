import { COMMAND_ROLES } from './command-rules.ts';
import { maySeePlanOf } from './cutoff-plan.ts';
import type { MeetingEvent } from './meeting-events.ts';
import type { Participant } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';

/** Events everyone connected to the meeting is told about, in the room or not. */
const FOR_EVERYONE = {
  'meeting.started': true,
  'meeting.ended': true,
} as const satisfies Partial<Record<MeetingEvent['type'], true>>;

function subjectOf(event: MeetingEvent): string | undefined {
  return 'participantId' in event ? event.participantId : undefined;
}

/**
 * Whether a participant sees an event on the live channel. People in the room see the whole
 * log (no hidden back-channel). Anyone else (waiting, asked to step out, declined, gone) sees
 * only what happens to themselves and whether the meeting has started or ended: never the
 * roster, the record or who else is knocking. A change of someone's cut-off plan is the
 * exception: only they and the plan readers ({@link maySeePlanOf}) are told.
 */
export function isEventVisibleTo(viewer: Participant, event: MeetingEvent): boolean {
  if (event.type === 'plan.changed') return maySeePlanOf(viewer, event.participantId);
  if (PRESENCE[viewer.state] === 'media') return true;
  if (event.type in FOR_EVERYONE) return true;
  return subjectOf(event) === viewer.id;
}

/** Whether a participant sees the roster (names, roles, companions of everyone in the room). */
export function maySeeRoster(viewer: Participant): boolean {
  return PRESENCE[viewer.state] === 'media';
}

/**
 * Whether a participant sees the waiting room with companions and consent state: those in the
 * room who hold a key to the door (facilitators and cofacilitators admit, the centre person
 * consents), so that "Sam's dad is waiting, with Mum. Let them in?" can be asked.
 */
export function maySeeLobby(viewer: Participant): boolean {
  if (PRESENCE[viewer.state] !== 'media') return false;
  return COMMAND_ROLES.admit[viewer.role] || COMMAND_ROLES.consent[viewer.role];
}
