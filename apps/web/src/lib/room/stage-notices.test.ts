import { describe, expect, it } from 'vitest';
import type { TimelineItem } from './timeline-events.ts';
import { stageNotices } from './stage-notices.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
const item = (seq: number, type: string, second: number): TimelineItem =>
  ({
    seq,
    at: at(second),
    facts: { type, participantId: 'p', by: 'f' },
  }) as unknown as TimelineItem;

describe('stageNotices', () => {
  const since = Date.parse(at(10));
  const items = [
    item(1, 'participant.removed', 5),
    item(2, 'participant.removed', 12),
    item(3, 'hand.raised', 13),
    item(4, 'consent.withdrawn', 14),
    item(5, 'meeting.ended', 15),
  ];

  it('shows removals, withdrawn consent and the ending, newest first, at most two', () => {
    expect(stageNotices(items, since, new Set()).map((i) => i.seq)).toEqual([5, 4]);
    expect(stageNotices(items, since, new Set(), 5).map((i) => i.seq)).toEqual([5, 4, 2]);
  });

  it('not what happened before one came in, nor what was dismissed', () => {
    expect(stageNotices(items, since, new Set([5, 4]), 5).map((i) => i.seq)).toEqual([2]);
    expect(stageNotices(items, Date.parse(at(16)), new Set())).toEqual([]);
  });

  it('other events stay in the timeline', () => {
    expect(stageNotices([item(3, 'hand.raised', 13)], since, new Set())).toEqual([]);
  });
});
