import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '@polyphony/domain';
import { linesFromEntries, linesFromResponse } from './record-lines.ts';

const entry = (id: string, change: Partial<RecordEntry> = {}): RecordEntry => ({
  id,
  kind: 'decision',
  text: `text ${id}`,
  by: 'lee',
  at: 1000,
  who: null,
  when: null,
  meetingAt: null,
  corrects: null,
  ...change,
});

describe('record lines', () => {
  it('show corrections both ways and the agreed next meeting', () => {
    const { lines, nextMeeting } = linesFromEntries(
      [
        entry('a'),
        entry('b', { corrects: 'a' }),
        entry('c', { kind: 'next_meeting', text: '', meetingAt: 5000 }),
      ],
      (id) => (id === 'lee' ? 'Dr Lee' : 'Someone'),
    );
    expect(lines.map((l) => [l.id, l.correctedBy, l.correctsText, l.byName])).toEqual([
      ['a', 'b', null, 'Dr Lee'],
      ['b', null, 'text a', 'Dr Lee'],
      ['c', null, null, 'Dr Lee'],
    ]);
    expect(nextMeeting?.meetingAt).toBe(5000);
  });

  it('read the same from the record answer after the meeting', () => {
    const at = '2026-01-01T10:00:00.000Z';
    const view = {
      id: 'n',
      kind: 'next_meeting' as const,
      text: 'At home',
      who: null,
      when: null,
      meetingAt: '2026-03-02T10:00:00.000Z',
      corrects: null,
      correctedBy: null,
      by: 'lee',
      byName: 'Dr Lee',
      at,
    };
    const { lines, nextMeeting } = linesFromResponse({
      meeting: { id: 'm', state: 'ended', startedAt: at, endedAt: at },
      entries: [view],
      nextMeeting: view,
      organisation: { name: 'North Crisis Team', contact: null },
      team: [],
      readableUntil: null,
    });
    expect(lines).toHaveLength(1);
    expect(nextMeeting?.meetingAt).toBe(Date.parse('2026-03-02T10:00:00.000Z'));
  });
});
