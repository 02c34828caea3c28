/** Staff roles in the organisation. `admin` manages staff accounts and teams. */
export const STAFF_ROLES = ['clinician', 'peer_worker', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles a person holds inside one meeting (product.md section 2). */
export const MEETING_ROLES = [
  'facilitator',
  'cofacilitator',
  'team',
  'centre',
  'network',
  'observer',
  'interpreter',
] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

/**
 * The reflecting team: the professionals who talk together during a reflection. An interpreter
 * also speaks then (they carry the reflection into the family's language) but is not part of it.
 * Kept as an exhaustive table so adding a role fails compilation until it is placed.
 */
export const IS_REFLECTING_TEAM = {
  facilitator: true,
  cofacilitator: true,
  team: true,
  centre: false,
  network: false,
  observer: false,
  interpreter: false,
} as const satisfies Record<MeetingRole, boolean>;

export function isReflectingTeam(role: MeetingRole): boolean {
  return IS_REFLECTING_TEAM[role];
}
