import type { MeetingEvent } from './meeting-events.ts';
import type { Participant } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';
import type { MeetingRole } from './roles.ts';

/** Longest "who controls this device", in characters. */
export const MAX_PLAN_CONTROLLER = 80;
/** Longest "how to reach them if the call drops", in characters. */
export const MAX_PLAN_REACH = 280;

/**
 * A device's "if we get cut off" plan (practice guidance for network meetings by video): who
 * controls this device, and how the team should reach them if the call drops ("call Mum's
 * mobile"). Free text typed by the person; kept in their participant row, never in the log,
 * purged with the meeting (ADR 0028).
 */
export interface CutoffPlan {
  readonly controlledBy: string;
  readonly reachBy: string;
}

const INVISIBLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF]/gu;

/** One field as stored: NFC, invisible and control characters gone, white space folded. */
function clean(raw: string): string {
  return raw.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim();
}

/**
 * A declared plan as stored: each field cleaned (Unicode NFC; control, invisible and bidi
 * characters and line breaks become one space; no space at either end). `null` when both
 * fields are empty (no plan). `'invalid'` when a field is longer than its bound: the protocol
 * schema should have refused it, so the caller answers `INVALID_INPUT`.
 */
export function normaliseCutoffPlan(input: {
  readonly controlledBy: string;
  readonly reachBy: string;
}): CutoffPlan | null | 'invalid' {
  const controlledBy = clean(input.controlledBy);
  const reachBy = clean(input.reachBy);
  if (controlledBy.length > MAX_PLAN_CONTROLLER || reachBy.length > MAX_PLAN_REACH) {
    return 'invalid';
  }
  return controlledBy === '' && reachBy === '' ? null : { controlledBy, reachBy };
}

/** Whether two stored plans say the same (no event for a repeat). */
export function samePlan(a: CutoffPlan | null, b: CutoffPlan | null): boolean {
  if (a === null || b === null) return a === b;
  return a.controlledBy === b.controlledBy && a.reachBy === b.reachBy;
}

/**
 * Which roles read other people's plans: only those who run the meeting and would pick up the
 * phone when it drops. The rest of the team, the centre person, the network and observers never
 * see how to reach someone else's family. Keyed by every role, so a new role fails compilation
 * until it is decided here.
 */
export const PLAN_READERS = {
  facilitator: true,
  cofacilitator: true,
  team: false,
  centre: false,
  network: false,
  observer: false,
  interpreter: false,
} as const satisfies Record<MeetingRole, boolean>;

/**
 * Whether `viewer` may see the cut-off plan of the participant `subjectId`: always their own
 * (to see and change what they declared); someone else's only as a facilitator or
 * cofacilitator in the room. Anyone waiting, asked to step out or gone sees no one else's.
 */
export function maySeePlanOf(viewer: Participant, subjectId: string): boolean {
  if (viewer.id === subjectId) return true;
  return PRESENCE[viewer.state] === 'media' && PLAN_READERS[viewer.role];
}

/**
 * Whether the timeline read through the API (`GET …/timeline`, by someone who was there or by
 * staff, `readerId` null) lists an event. A `plan.changed` only for the person it is about: after
 * the meeting nobody reads plans, and the rest never learn even that one changed.
 */
export function timelineShows(readerId: string | null, event: MeetingEvent): boolean {
  return event.type !== 'plan.changed' || event.participantId === readerId;
}
