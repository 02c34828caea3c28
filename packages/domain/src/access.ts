import type { MeetingState } from './meeting-state.ts';
import { mayReadMeetingLog } from './shared-record.ts';

// Who may reach what outside a meeting's commands: a personal link's standing, a staff member
// entering without a link, and a guest reading the record. The signal service asks these; the
// storage and the routes only fetch the facts.

/** A personal link's lifetime, in epoch milliseconds (`expiresAt` null: no expiry recorded). */
export interface LinkLifetime {
  readonly revokedAt: number | null;
  readonly expiresAt: number | null;
}

/** Where a link stands at a moment: usable, revoked by staff, or past its expiry. */
export type LinkStanding = 'usable' | 'revoked' | 'expired';

/** A revoked link stays revoked whatever its expiry; a link works until (not at) `expiresAt`. */
export function linkStanding(link: LinkLifetime, now: number): LinkStanding {
  if (link.revokedAt !== null) return 'revoked';
  if (link.expiresAt !== null && link.expiresAt <= now) return 'expired';
  return 'usable';
}

export function isLinkUsable(link: LinkLifetime, now: number): boolean {
  return linkStanding(link, now) === 'usable';
}

/** What a staff member who opens a meeting without a personal link gets. */
export type StaffEntry =
  /** They already have a place in it: they knock (core team go straight in) with it. */
  | 'own_place'
  /** Core team of the network: a new place is made for them, with the role the domain gives. */
  | 'new_place'
  /** Anyone else needs a link from the team (and so the centre person's consent). */
  | 'needs_link';

export function staffEntry(staff: { readonly hasPlace: boolean; readonly isCoreTeam: boolean }) {
  const entry: StaffEntry = staff.hasPlace
    ? 'own_place'
    : staff.isCoreTeam
      ? 'new_place'
      : 'needs_link';
  return entry;
}

/** Why a guest may not read a meeting's record and timeline through their link. */
export type RecordRefusal =
  | 'link_revoked'
  | 'link_expired'
  /** While the meeting runs, another device of theirs holds their place. */
  | 'moved_to_another_device'
  /** Never let in (or not in the room while it runs). */
  | 'not_admitted';

/**
 * Whether a guest may read the record and timeline: their link must be usable, and the meeting
 * as their device sees it (`seen`, null when another device holds their place) must let them
 * (`mayReadMeetingLog`). Null when they may.
 */
export function guestRecordRefusal(
  link: LinkLifetime,
  seen: MeetingState | null,
  participantId: string,
  now: number,
): RecordRefusal | null {
  const standing = linkStanding(link, now);
  if (standing === 'revoked') return 'link_revoked';
  if (standing === 'expired') return 'link_expired';
  if (seen === null) return 'moved_to_another_device';
  return mayReadMeetingLog(seen, participantId) ? null : 'not_admitted';
}
