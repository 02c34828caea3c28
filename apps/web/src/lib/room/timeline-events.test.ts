import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '@polyphony/protocol';
import { mergeEvents, recordEntryOf } from './timeline-events.ts';

const live = (seq: number, event: Record<string, unknown>): LiveEvent => ({
  type: 'event',
  seq,
  at: '2026-01-01T10:00:00.000Z',
  event: event as LiveEvent['event'],
});

describe('mergeEvents', () => {
  it('keeps log order and drops repeats (a reload racing live events)', () => {
    const a = live(1, { type: 'meeting.started', by: 'lee' });
    const b = live(2, { type: 'participant.left', participantId: 'dad', reason: 'left' });
    const c = live(3, { type: 'meeting.ended', by: 'lee' });
    const known = mergeEvents([], [c]);
    expect(mergeEvents(known, [a, b, c]).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(mergeEvents(known, [c])).toBe(known);
  });
});

describe('recordEntryOf', () => {
  it('reads a record entry with its details, and nothing else', () => {
    const entry = recordEntryOf(
      live(4, {
        type: 'record.added',
        entryId: 'e1',
        kind: 'next_meeting',
        text: '',
        by: 'lee',
        meetingAt: 1_772_445_600_000,
        actorParticipantId: 'lee',
      }),
    );
    expect(entry).toEqual({
      id: 'e1',
      kind: 'next_meeting',
      text: '',
      by: 'lee',
      at: Date.parse('2026-01-01T10:00:00.000Z'),
      who: null,
      when: null,
      meetingAt: 1_772_445_600_000,
      corrects: null,
    });
    expect(recordEntryOf(live(5, { type: 'meeting.ended', by: 'lee' }))).toBeNull();
  });
});
