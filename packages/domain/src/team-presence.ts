import { isReflectingTeam, type MeetingRole } from './roles.ts';

/**
 * Fidelity element "two or more therapists" (product.md section 6): true when fewer than two
 * of the reflecting team (facilitator, cofacilitator, team) are in the room. The room shows the
 * facilitators a gentle note; nothing is enforced.
 */
export function fewerThanTwoTeam(rolesInRoom: readonly MeetingRole[]): boolean {
  return rolesInRoom.filter(isReflectingTeam).length < 2;
}
