import { isLinkUsable } from '@polyphony/domain';
import type { CreatedInvite, Invite } from '@polyphony/protocol';

// Links just made (their tokens exist only in this answer), handed from the page that made
// them to the meeting page. Kept in memory only: a reload forgets them, as it should.
const fresh = new Map<string, CreatedInvite[]>();

export function keepFreshLinks(meetingId: string, links: readonly CreatedInvite[]): void {
  if (links.length === 0) return;
  fresh.set(meetingId, [...(fresh.get(meetingId) ?? []), ...links]);
}

/** The links kept for this meeting, once; later calls get none. */
export function takeFreshLinks(meetingId: string): CreatedInvite[] {
  const links = fresh.get(meetingId) ?? [];
  fresh.delete(meetingId);
  return links;
}

/** Whether a link still opens the meeting at `now` (the domain's rule, as the server applies it). */
export const linkUsable = (invite: Invite, now: number): boolean =>
  isLinkUsable(
    {
      revokedAt: invite.revokedAt === null ? null : Date.parse(invite.revokedAt),
      expiresAt: Date.parse(invite.expiresAt),
    },
    now,
  );

/**
 * The fresh links still worth handing out: a link revoked (or expired) since it was made is no
 * longer offered for copying or e-mailing. One the meeting's list does not hold yet (it is being
 * reloaded) stays.
 */
export function stillFresh(
  links: readonly CreatedInvite[],
  invites: readonly Invite[],
  now: number,
): CreatedInvite[] {
  const byId = new Map(invites.map((i) => [i.id, i]));
  return links.filter((link) => {
    const current = byId.get(link.invite.id);
    return current === undefined || linkUsable(current, now);
  });
}
