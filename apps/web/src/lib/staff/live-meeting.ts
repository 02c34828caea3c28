import type { MeetingSummary } from '@polyphony/protocol';

/**
 * The network's meeting that is on now, if any (the latest started): starting another one
 * "now" would split the family between two rooms, so the page asks first.
 */
export function meetingOnNow(meetings: readonly MeetingSummary[]): MeetingSummary | null {
  const live = meetings.filter((m) => m.state === 'live');
  if (live.length === 0) return null;
  return live.reduce((a, b) => ((b.startedAt ?? '') > (a.startedAt ?? '') ? b : a));
}
