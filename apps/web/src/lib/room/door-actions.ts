import { COMMAND_ROLES, MAY_TURN_AWAY, type MeetingRole } from '@polyphony/domain';
import type { LobbyEntry } from '@polyphony/protocol';
import type { LobbyView } from './live-state.ts';

/** What the viewer may do for one waiting person (the server decides again on every command). */
export interface DoorActions {
  readonly admit: boolean;
  readonly decline: boolean;
  readonly consent: boolean;
}

/** Whether the centre person's agreement is still missing (for them or a declared companion). */
export function awaitsCentre(entry: LobbyEntry): boolean {
  return entry.needsCentre && (!entry.centreAgreed || entry.pendingCompanions.length > 0);
}

export function awaitsFacilitator(entry: LobbyEntry): boolean {
  return entry.needsFacilitator && !entry.facilitatorAgreed;
}

export function doorActions(viewer: MeetingRole, entry: LobbyEntry): DoorActions {
  return {
    admit: COMMAND_ROLES.admit[viewer] && awaitsFacilitator(entry),
    decline: COMMAND_ROLES.decline[viewer] && MAY_TURN_AWAY[viewer][entry.role],
    consent: COMMAND_ROLES.consent[viewer] && awaitsCentre(entry),
  };
}

/** People the centre person is asked about, first knocked first ("Sam's dad is waiting…"). */
export function consentQuestions(
  viewer: MeetingRole,
  lobby: LobbyView | null,
): readonly LobbyEntry[] {
  if (lobby === null || !COMMAND_ROLES.consent[viewer]) return [];
  return lobby.waiting.filter((entry) => entry.state === 'waiting' && awaitsCentre(entry));
}

/** Whether the viewer may ask someone in the room to step out. */
export function mayAskToLeave(viewer: MeetingRole, target: MeetingRole): boolean {
  return COMMAND_ROLES.remove[viewer] && MAY_TURN_AWAY[viewer][target];
}

/** Whether the viewer sees the lobby panel (admits people). */
export function admitsPeople(viewer: MeetingRole): boolean {
  return COMMAND_ROLES.admit[viewer];
}
