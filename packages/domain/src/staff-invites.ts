import type { MeetingRole, StaffRole } from './roles.ts';

/** Who a personal link is for, as far as the choice of meeting role cares. */
export type Invitee =
  | { readonly kind: 'member'; readonly isCentre: boolean }
  | {
      readonly kind: 'staff';
      readonly isCoreTeam: boolean;
      /** The staff member who created the meeting hosts it. */
      readonly isMeetingCreator: boolean;
    };

const STAFF_MEETING_ROLES: readonly MeetingRole[] = [
  'facilitator',
  'cofacilitator',
  'team',
  'observer',
  'interpreter',
];

/** The role a link carries unless staff choose another (product.md section 2). */
export function defaultInviteRole(invitee: Invitee): MeetingRole {
  if (invitee.kind === 'member') return invitee.isCentre ? 'centre' : 'network';
  if (invitee.isMeetingCreator) return 'facilitator';
  return invitee.isCoreTeam ? 'team' : 'observer';
}

/**
 * The roles that fit a person: the centre person is always `centre`; others never are. An
 * interpreter may be a member of the network (an agency interpreter added by name) or staff.
 */
export function allowedInviteRoles(invitee: Invitee): readonly MeetingRole[] {
  if (invitee.kind === 'staff') return STAFF_MEETING_ROLES;
  return invitee.isCentre ? ['centre'] : ['network', 'observer', 'interpreter'];
}

/**
 * The role of a new link: the requested one if it fits the person, the default when none is
 * requested, or null when the request does not fit (e.g. a family member as facilitator).
 */
export function inviteRole(invitee: Invitee, requested?: MeetingRole): MeetingRole | null {
  if (requested === undefined) return defaultInviteRole(invitee);
  return allowedInviteRoles(invitee).includes(requested) ? requested : null;
}

/**
 * When a new link stops working: `ttlMs` after it is made, or after the scheduled start if that
 * is later, so a link sent early still works after the meeting (to read its record).
 */
export function inviteExpiresAt(now: number, scheduledAt: number | null, ttlMs: number): number {
  return Math.max(now, scheduledAt ?? now) + ttlMs;
}

/**
 * Who may change a network (its members) and its meetings' links: its core team, and admins
 * (who answer for the organisation's accounts and teams). Every staff member of the
 * organisation may read it.
 */
export function staffMayManageNetwork(role: StaffRole, isCoreTeam: boolean): boolean {
  return isCoreTeam || mayManageStaff(role);
}

/** Who may create and list staff accounts of the organisation: admins only (product.md §2). */
export const MAY_MANAGE_STAFF = {
  clinician: false,
  peer_worker: false,
  admin: true,
} as const satisfies Record<StaffRole, boolean>;

export function mayManageStaff(role: StaffRole): boolean {
  return MAY_MANAGE_STAFF[role];
}
