import type { CreatedInvite } from '@polyphony/protocol';

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
