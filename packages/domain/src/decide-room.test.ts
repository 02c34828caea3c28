import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { MAX_RECORD_DETAIL, MAX_RECORD_TEXT } from './decide-room.ts';
import type { RecordKind } from './meeting-state.ts';
import type { Mode } from './modes.ts';
import { T0, accepted, fullRoom, refused, run, types, who } from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;
const toMode = (actorId: string, mode: Mode) => ({ type: 'switch_mode', actorId, mode }) as const;
const hand = (actorId: string) => ({ type: 'raise_hand', actorId }) as const;

describe('mode switching', () => {
  it('is done by a facilitator or cofacilitator and shown to everyone', () => {
    const { state, events } = run(
      [toMode('f', 'reflecting'), toMode('c', 'dialogue')],
      fullRoom(),
      LATER,
    );
    expect(events.slice(-2)).toEqual([
      { type: 'mode.changed', at: LATER, mode: 'reflecting', by: 'f', respondOrder: [] },
      { type: 'mode.changed', at: LATER + 1000, mode: 'dialogue', by: 'c', respondOrder: [] },
    ]);
    expect(state.mode).toBe('dialogue');
  });

  it('to the current mode changes nothing (two facilitators pressing at once)', () => {
    const { state } = run([toMode('f', 'reflecting')], fullRoom(), LATER);
    const again = accepted(decide(state, toMode('c', 'reflecting'), LATER + 10));
    expect(again.events).toEqual([]);
    expect(again.state).toBe(state);
  });

  it('refuses a mode with no transition to it', () => {
    refused(decide(fullRoom().state, toMode('f', 'silent' as Mode), LATER), 'MODE_NOT_ALLOWED');
  });

  it('is not for the team, the network or observers', () => {
    for (const id of ['t', 'z', 'n', 'o']) {
      refused(decide(fullRoom().state, toMode(id, 'reflecting'), LATER), 'FORBIDDEN');
    }
  });
});

describe('wishes to respond', () => {
  it('are collected during a reflection and listed first-asked-first on return', () => {
    const { state, events } = run(
      [toMode('f', 'reflecting'), hand('n'), hand('z'), hand('n'), toMode('f', 'dialogue')],
      fullRoom(),
      LATER,
    );
    expect(types(events).slice(-4)).toEqual([
      'mode.changed',
      'hand.raised',
      'hand.raised',
      'mode.changed',
    ]);
    expect(events.at(-1)).toMatchObject({ mode: 'dialogue', respondOrder: ['n', 'z'] });
    expect(state.respondOrder).toEqual(['n', 'z']);
    expect(state.wishes).toEqual([]);
  });

  it('are cleared when the next reflection starts', () => {
    const { state } = run(
      [toMode('f', 'reflecting'), hand('n'), toMode('f', 'dialogue'), toMode('f', 'reflecting')],
      fullRoom(),
      LATER,
    );
    expect(state.respondOrder).toEqual([]);
  });

  it('drop a person who leaves or is asked to leave', () => {
    const { state } = run(
      [
        toMode('f', 'reflecting'),
        hand('n'),
        hand('z'),
        { type: 'remove', actorId: 'f', targetId: 'n' },
        { type: 'leave', actorId: 'z' },
      ],
      fullRoom(),
      LATER,
    );
    expect(state.wishes).toEqual([]);
  });

  it('only during a reflection, and never from observers or the team', () => {
    const room = fullRoom().state;
    refused(decide(room, hand('n'), LATER), 'NOT_IN_REFLECTION');
    const reflecting = run([toMode('f', 'reflecting')], fullRoom(), LATER).state;
    refused(decide(reflecting, hand('o'), LATER + 5), 'FORBIDDEN');
    refused(decide(reflecting, hand('t'), LATER + 5), 'FORBIDDEN');
  });
});

describe('shared record', () => {
  const entry = (text: string, kind: RecordKind = 'decision', entryId = 'e1') =>
    ({ type: 'record', actorId: 'c', entryId, kind, text }) as const;

  it('adds trimmed entries written by a facilitator', () => {
    const { state } = run([entry('  Meet again Friday  ', 'next_step')], fullRoom(), LATER);
    expect(state.record).toEqual([
      {
        id: 'e1',
        kind: 'next_step',
        text: 'Meet again Friday',
        by: 'c',
        at: LATER,
        who: null,
        when: null,
        meetingAt: null,
        corrects: null,
      },
    ]);
  });

  it('keeps who and when of a next step, and the next meeting time', () => {
    const { state, events } = run(
      [
        { ...entry('Call the GP', 'next_step'), who: ' Dr Lee ', when: 'by Friday' },
        { ...entry('', 'next_meeting', 'e2'), meetingAt: LATER + 86_400_000 },
      ],
      fullRoom(),
      LATER,
    );
    expect(events.at(-2)).toEqual({
      type: 'record.added',
      at: LATER,
      entryId: 'e1',
      kind: 'next_step',
      text: 'Call the GP',
      by: 'c',
      who: 'Dr Lee',
      when: 'by Friday',
    });
    expect(state.record[0]).toMatchObject({ who: 'Dr Lee', when: 'by Friday' });
    expect(state.record[1]).toMatchObject({ text: '', meetingAt: LATER + 86_400_000 });
  });

  it('corrects by a new entry naming the earlier one; nothing is edited', () => {
    const { state, events } = run(
      [entry('Meet Friday'), { ...entry('Meet Monday', 'decision', 'e2'), corrects: 'e1' }],
      fullRoom(),
      LATER,
    );
    expect(events.at(-1)).toMatchObject({ entryId: 'e2', corrects: 'e1' });
    expect(state.record.map((e) => [e.id, e.text, e.corrects])).toEqual([
      ['e1', 'Meet Friday', null],
      ['e2', 'Meet Monday', 'e1'],
    ]);
  });

  it('refuses details that do not belong to the kind, and corrections of nothing', () => {
    const room = fullRoom().state;
    refused(decide(room, { ...entry('x'), who: 'Mum' }, LATER), 'INVALID_INPUT');
    refused(decide(room, { ...entry('x', 'open_question'), when: 'soon' }, LATER), 'INVALID_INPUT');
    refused(decide(room, { ...entry('x'), meetingAt: LATER }, LATER), 'INVALID_INPUT');
    refused(decide(room, entry('', 'next_meeting'), LATER), 'INVALID_INPUT');
    refused(
      decide(room, { ...entry('', 'next_meeting'), meetingAt: Number.NaN }, LATER),
      'INVALID_INPUT',
    );
    const long = 'x'.repeat(MAX_RECORD_DETAIL + 1);
    refused(decide(room, { ...entry('x', 'next_step'), who: long }, LATER), 'INVALID_INPUT');
    refused(decide(room, { ...entry('x', 'next_step'), when: long }, LATER), 'INVALID_INPUT');
    refused(decide(room, { ...entry('x'), corrects: 'nope' }, LATER), 'INVALID_INPUT');
    const blank = { ...entry('x', 'next_step'), who: '  ', when: '' };
    expect(accepted(decide(room, blank, LATER)).events[0]).not.toHaveProperty('who');
  });

  it('treats a repeated entry id as a retry', () => {
    const { state } = run([entry('First')], fullRoom(), LATER);
    expect(accepted(decide(state, entry('Second'), LATER + 5)).events).toEqual([]);
  });

  it('refuses empty, overlong or unknown entries', () => {
    const room = fullRoom().state;
    refused(decide(room, entry('   '), LATER), 'INVALID_INPUT');
    refused(decide(room, entry('x'.repeat(MAX_RECORD_TEXT + 1)), LATER), 'INVALID_INPUT');
    refused(decide(room, entry('ok', 'diagnosis' as RecordKind), LATER), 'INVALID_INPUT');
    refused(decide(room, entry('ok', 'decision', ''), LATER), 'INVALID_INPUT');
    expect(accepted(decide(room, entry('x'.repeat(MAX_RECORD_TEXT)), LATER)).events).toHaveLength(
      1,
    );
  });

  it('is not written by the network', () => {
    refused(decide(fullRoom().state, { ...entry('x'), actorId: 'n' }, LATER), 'FORBIDDEN');
  });
});

describe('settings', () => {
  const cameras = (actorId: string, on: boolean) =>
    ({ type: 'change_settings', actorId, settings: { networkCamerasInReflection: on } }) as const;

  it('change during the meeting, by a facilitator', () => {
    const { state, events } = run([cameras('f', false)], fullRoom(), LATER);
    expect(events.at(-1)).toEqual({
      type: 'settings.changed',
      at: LATER,
      settings: { networkCamerasInReflection: false, endToEndEncrypted: true },
      by: 'f',
    });
    expect(state.settings.networkCamerasInReflection).toBe(false);
  });

  it('end-to-end encryption is on by default; a facilitator may turn it off, the others stay', () => {
    expect(fullRoom().state.settings.endToEndEncrypted).toBe(true);
    const off = {
      type: 'change_settings',
      actorId: 'c',
      settings: { endToEndEncrypted: false },
    } as const;
    const { state, events } = run([cameras('f', false), off], fullRoom(), LATER);
    expect(events.at(-1)).toMatchObject({
      type: 'settings.changed',
      settings: { networkCamerasInReflection: false, endToEndEncrypted: false },
      by: 'c',
    });
    expect(state.settings).toEqual({ networkCamerasInReflection: false, endToEndEncrypted: false });
    for (const actorId of ['t', 'n', 'o']) {
      refused(decide(fullRoom().state, { ...off, actorId }, LATER), 'FORBIDDEN');
    }
  });

  it('the same settings again change nothing; malformed ones are refused', () => {
    const room = fullRoom().state;
    expect(accepted(decide(room, cameras('f', true), LATER)).events).toEqual([]);
    for (const settings of [
      {},
      { networkCamerasInReflection: 'no' },
      { endToEndEncrypted: null },
      { recording: true },
    ]) {
      const bad = { type: 'change_settings', actorId: 'f', settings } as never;
      refused(decide(room, bad, LATER), 'INVALID_INPUT');
    }
    refused(decide(room, cameras('z', false), LATER), 'FORBIDDEN');
  });
});

describe('ending', () => {
  it('sends everyone away and freezes the meeting', () => {
    const room = run([{ type: 'leave', actorId: 'o' }], fullRoom(), LATER);
    const { state, events } = run([{ type: 'end', actorId: 'c' }], room, LATER + 5000);
    expect(events.at(-1)).toEqual({ type: 'meeting.ended', at: LATER + 5000, by: 'c' });
    expect(state.status).toBe('ended');
    expect(state.endedAt).toBe(LATER + 5000);
    expect(state.participants.every((p) => p.state === 'left' || p.state === 'invited')).toBe(true);
    expect(who(state, 'o').state).toBe('left');
    refused(decide(state, { type: 'leave', actorId: 'f' }, LATER + 6000), 'MEETING_ENDED');
  });

  it('is not for the team or the network', () => {
    refused(decide(fullRoom().state, { type: 'end', actorId: 't' }, LATER), 'FORBIDDEN');
    refused(decide(fullRoom().state, { type: 'end', actorId: 'z' }, LATER), 'FORBIDDEN');
  });
});
