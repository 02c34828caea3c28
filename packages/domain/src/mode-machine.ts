import type { MeetingRole } from './roles.ts';
import type { Mode } from './modes.ts';
import { COMMAND_ROLES } from './command-rules.ts';
import type { MeetingState } from './meeting-state.ts';

/**
 * Allowed mode transitions. Switching to the mode already in force is not a transition: it
 * changes nothing and is accepted silently, so two facilitators pressing the same button at
 * once converge on one state.
 */
export const MODE_TRANSITIONS = {
  dialogue: ['reflecting'],
  reflecting: ['dialogue'],
} as const satisfies Record<Mode, readonly Mode[]>;

/** Whether a switch from `from` to `to` is an allowed transition. */
export function canSwitchMode(from: Mode, to: Mode): boolean {
  const allowed: readonly Mode[] = MODE_TRANSITIONS[from];
  return allowed.includes(to);
}

/**
 * Whether someone with this role may signal "I'd like to respond" in this mode: the network
 * (centre person included) during a reflection. The team speaks anyway; observers never speak.
 */
export function mayWishToRespond(role: MeetingRole, mode: Mode): boolean {
  return mode === 'reflecting' && COMMAND_ROLES.raise_hand[role];
}

/**
 * Who asked to respond during the current reflection, first asked first; this becomes the
 * `respondOrder` of the return to dialogue.
 */
export function wishOrder(state: MeetingState): readonly string[] {
  return state.wishes.map((w) => w.participantId);
}
