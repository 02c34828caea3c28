import { describe, expect, it } from 'vitest';
import type { RecordCommand } from './commands.ts';
import type { RecordKind } from './meeting-state.ts';
import { linkUse, mayReadMeetingLog, namesShownInTimeline, sharedRecord } from './shared-record.ts';
import { T0, fullRoom, inviteAll, knock, liveMeeting, run } from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;
const add = (
  entryId: string,
  kind: RecordKind,
  text: string,
  extra: Partial<RecordCommand> = {},
): RecordCommand => ({ type: 'record', actorId: 'f', entryId, kind, text, ...extra });

describe('sharedRecord', () => {
  it('shows every entry as written, with the entry that corrects it', () => {
    const { state } = run(
      [
        add('a', 'decision', 'Meet weekly'),
        add('b', 'decision', 'Meet every two weeks', { corrects: 'a' }),
        add('c', 'decision', 'Meet every three weeks', { corrects: 'a' }),
        add('d', 'open_question', 'What helps at night?'),
      ],
      fullRoom(),
      LATER,
    );
    const record = sharedRecord(state.record);
    expect(record.items.map((e) => [e.id, e.correctedBy])).toEqual([
      ['a', 'c'],
      ['b', null],
      ['c', null],
      ['d', null],
    ]);
    expect(record.nextMeeting).toBeNull();
  });

  it('takes the latest next meeting time that nothing corrects', () => {
    const at = (days: number) => LATER + days * 86_400_000;
    const { state } = run(
      [
        add('a', 'next_meeting', '', { meetingAt: at(7) }),
        add('b', 'next_meeting', 'At home', { meetingAt: at(8) }),
        add('c', 'decision', 'Not on the 8th after all', { corrects: 'b' }),
      ],
      fullRoom(),
      LATER,
    );
    expect(sharedRecord(state.record).nextMeeting?.id).toBe('a');
    expect(sharedRecord([]).items).toEqual([]);
  });
});

describe('mayReadMeetingLog', () => {
  it('while live: only those in the room', () => {
    const { state } = run([knock('n')], liveMeeting(), LATER);
    expect(mayReadMeetingLog(state, 'f')).toBe(true);
    expect(mayReadMeetingLog(state, 'z')).toBe(true);
    expect(mayReadMeetingLog(state, 'n')).toBe(false); // waiting
    expect(mayReadMeetingLog(state, 'o')).toBe(false); // invited only
    expect(mayReadMeetingLog(state, 'nobody')).toBe(false);
    const out = run([{ type: 'remove', actorId: 'f', targetId: 'n' }], fullRoom(), LATER).state;
    expect(mayReadMeetingLog(out, 'n')).toBe(false); // asked to step out
  });

  it('after the end: everyone let in at least once, never the others', () => {
    const room = run([{ type: 'leave', actorId: 'n' }], fullRoom(), LATER);
    const { state } = run([{ type: 'end', actorId: 'f' }], room, LATER + 10_000);
    expect(mayReadMeetingLog(state, 'n')).toBe(true);
    expect(mayReadMeetingLog(state, 'o')).toBe(true);
    const neverIn = run([{ type: 'end', actorId: 'f' }], run([knock('n')], liveMeeting()), LATER);
    expect(mayReadMeetingLog(neverIn.state, 'n')).toBe(false);
    expect(mayReadMeetingLog(neverIn.state, 'z')).toBe(true);
  });
});

describe('linkUse', () => {
  it('knocks while the meeting is scheduled or live, whoever holds the link', () => {
    const { state } = run([knock('n')], liveMeeting(), LATER);
    expect(linkUse(state, 'f')).toBe('knock'); // in the room
    expect(linkUse(state, 'n')).toBe('knock'); // waiting
    expect(linkUse(state, 'o')).toBe('knock'); // invited only
  });

  it('after the end: a read-only session for those let in at least once; the rest knock (refused)', () => {
    const room = run([{ type: 'leave', actorId: 'n' }], fullRoom(), LATER);
    const { state } = run([{ type: 'end', actorId: 'f' }], room, LATER + 10_000);
    expect(linkUse(state, 'n')).toBe('read_record'); // left before the end
    expect(linkUse(state, 'o')).toBe('read_record');
    const neverIn = run([{ type: 'end', actorId: 'f' }], run([knock('n')], liveMeeting()), LATER);
    expect(linkUse(neverIn.state, 'n')).toBe('knock');
    expect(linkUse(neverIn.state, 'nobody')).toBe('knock');
  });
});

describe('namesShownInTimeline', () => {
  it('names people who were in the room; key holders and staff also see who knocked', () => {
    const { state } = run([knock('n')], liveMeeting(), LATER);
    const sorted = (s: ReadonlySet<string>) => [...s].sort();
    expect(sorted(namesShownInTimeline(state, 'f'))).toEqual(['c', 'f', 'n', 'o', 't', 'z']);
    expect(sorted(namesShownInTimeline(state, null))).toEqual(['c', 'f', 'n', 'o', 't', 'z']);
    const network = run([...inviteAll({ m: 'network' }), knock('m')], fullRoom(), LATER).state;
    expect(sorted(namesShownInTimeline(network, 'n'))).toEqual(['c', 'f', 'n', 'o', 't', 'z']);
    expect(namesShownInTimeline(network, 'm').has('m')).toBe(true);
    expect(namesShownInTimeline(network, 'ghost').has('m')).toBe(false);
  });
});
