import type { Invite, NetworkDetail } from '@polyphony/protocol';
import { linkUsable as isUsable } from '$lib/staff/fresh-links.ts';

/** Someone who should have a personal link to the meeting, and the link they have now. */
export interface InvitePerson {
  readonly key: string;
  readonly target: { readonly memberId: string } | { readonly staffId: string };
  readonly name: string;
  readonly kind: 'member' | 'staff';
  readonly isCentre: boolean;
  /** The newest link that is neither revoked nor expired; null when they need a new one. */
  readonly usable: Invite | null;
}

function newestUsable(invites: readonly Invite[], now: number): Invite | null {
  let found: Invite | null = null;
  for (const invite of invites) {
    if (!isUsable(invite, now)) continue;
    if (!found || Date.parse(invite.createdAt) >= Date.parse(found.createdAt)) found = invite;
  }
  return found;
}

/**
 * Every network member (centre person first) and every core-team staff member, each with their
 * current usable link. Links of people no longer in the network are left to `otherInvites`.
 */
export function invitePeople(
  network: Pick<NetworkDetail, 'members' | 'coreTeam'>,
  invites: readonly Invite[],
  now: number,
): InvitePerson[] {
  const members = [...network.members].sort((a, b) => Number(b.isCentre) - Number(a.isCentre));
  return [
    ...members.map((member) => ({
      key: `member:${member.id}`,
      target: { memberId: member.id },
      name: member.name,
      kind: 'member' as const,
      isCentre: member.isCentre,
      usable: newestUsable(
        invites.filter((i) => i.memberId === member.id),
        now,
      ),
    })),
    ...network.coreTeam.map((person) => ({
      key: `staff:${person.staffId}`,
      target: { staffId: person.staffId },
      name: person.displayName,
      kind: 'staff' as const,
      isCentre: false,
      usable: newestUsable(
        invites.filter((i) => i.staffId === person.staffId),
        now,
      ),
    })),
  ];
}

/** Usable links held by people outside the lists above (other staff, observers). */
export function otherInvites(
  people: readonly InvitePerson[],
  invites: readonly Invite[],
  now: number,
): Invite[] {
  const shown = new Set(people.flatMap((p) => (p.usable ? [p.usable.id] : [])));
  return invites.filter((i) => isUsable(i, now) && !shown.has(i.id));
}

/**
 * Whether the page offers an interpreter's link for this person: a network member who is not
 * the person at the centre and has no usable link yet (staff interpreters are invited through
 * the API; the server checks the role fits either way).
 */
export function mayMakeInterpreter(person: InvitePerson): boolean {
  return person.kind === 'member' && !person.isCentre && person.usable === null;
}

/**
 * Whether the page offers to make this person the meeting's cofacilitator: core-team staff
 * whose place is still a team member's (or who have none) and who have not entered yet. A
 * place's role is fixed once made, so this gives them a new place (a new link) as
 * cofacilitator; the server checks the role fits them.
 */
export function mayMakeCofacilitator(person: InvitePerson): boolean {
  if (person.kind !== 'staff') return false;
  if (person.usable === null) return true;
  return person.usable.role === 'team' && !person.usable.used;
}
