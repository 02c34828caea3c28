import type { TimelineItem } from './timeline-events.ts';

/**
 * Timeline events that must be seen over the stage, not only in the (closed) timeline panel:
 * someone removed (by a person or fail-closed, e.g. sound under a camera label), consent
 * withdrawn, the meeting ending.
 */
const IMPORTANT: ReadonlySet<string> = new Set([
  'participant.removed',
  'consent.withdrawn',
  'meeting.ended',
]);

/**
 * The important events to show over the stage: newer than `since` (when this page entered the
 * room, less a margin, so a reload does not replay old news), not dismissed, newest first, at
 * most `limit`.
 */
export function stageNotices(
  items: readonly TimelineItem[],
  since: number,
  dismissed: ReadonlySet<number>,
  limit = 2,
): TimelineItem[] {
  return items
    .filter(
      (i) => IMPORTANT.has(i.facts.type) && Date.parse(i.at) >= since && !dismissed.has(i.seq),
    )
    .reverse()
    .slice(0, limit);
}
