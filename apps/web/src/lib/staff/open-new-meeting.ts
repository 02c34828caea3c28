import type { CreateMeetingResponse } from '@polyphony/protocol';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { keepFreshLinks } from './fresh-links.ts';

/** After creating a meeting: keep its new links for the meeting page to show once, and go there. */
export async function openNewMeeting(created: CreateMeetingResponse): Promise<void> {
  const id = created.meeting.meeting.id;
  keepFreshLinks(id, created.links);
  await goto(resolve('/staff/(app)/meetings/[id]', { id }));
}
