import { describe, expect, it } from 'vitest';
import type { MeetingEvent } from './meeting-events.ts';
import { MEETING_EVENT_TYPES } from './meeting-events.ts';
import { initialMeetingState } from './meeting-state.ts';
import { reduce, replay } from './reduce.ts';
import { DEFAULT_MEETING_SETTINGS } from './modes.ts';
import { T0, fullRoom, types } from './testing/meeting-fixture.ts';

describe('reduce and replay', () => {
  it('a settings change logged before a setting existed leaves that setting at its default', () => {
    const old = {
      type: 'settings.changed',
      at: T0,
      by: 'f',
      settings: { networkCamerasInReflection: false },
    } as unknown as MeetingEvent;
    expect(reduce(initialMeetingState(), old).settings).toEqual({
      ...DEFAULT_MEETING_SETTINGS,
      networkCamerasInReflection: false,
    });
  });

  it('start from the initial state with the meeting’s own settings', () => {
    const settings = { ...DEFAULT_MEETING_SETTINGS, networkCamerasInReflection: false };
    expect(replay([], initialMeetingState(settings))).toEqual({
      ...initialMeetingState(),
      settings,
    });
    expect(replay([])).toEqual(initialMeetingState());
  });

  it('rebuild a live meeting from its log, event by event', () => {
    const { state, events } = fullRoom();
    let rebuilt = initialMeetingState();
    for (const event of events) rebuilt = reduce(rebuilt, event);
    expect(rebuilt).toEqual(state);
  });

  it('ignore an event about someone who is not in the meeting', () => {
    const state = fullRoom().state;
    const stray: MeetingEvent = { type: 'link.revoked', at: T0, participantId: 'ghost', by: 's' };
    expect(reduce(state, stray)).toBe(state);
  });

  it('throw on an unknown event type: a log from a newer schema is a bug to stop at', () => {
    const unknown = { type: 'participant.teleported', at: T0 } as unknown as MeetingEvent;
    expect(() => reduce(initialMeetingState(), unknown)).toThrow('Unexpected meeting event');
  });

  it('know every event type the rules produce', () => {
    expect(new Set(MEETING_EVENT_TYPES).size).toBe(MEETING_EVENT_TYPES.length);
    for (const type of types(fullRoom().events)) expect(MEETING_EVENT_TYPES).toContain(type);
  });
});
