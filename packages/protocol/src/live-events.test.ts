import { Value } from 'typebox/value';
import type { Static } from 'typebox';
import { describe, expect, it } from 'vitest';
import { MEETING_EVENT_TYPES, type MeetingEvent, type MeetingEventType } from '@polyphony/domain';
import { EVENT_SAMPLES as SAMPLES } from '@polyphony/domain/testing/events';
import { WIRE_EVENTS, WireMeetingEvent, toWireEvent } from './live-events.ts';
import { ServerMessage } from './live.ts';

// Compile-time: each wire schema is its domain event without `at` and `device`, plus the
// optional actor, in both directions (a field added to one side only fails the typecheck).
type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K];
};
type Expected<K extends MeetingEventType> = Mutable<
  Omit<Extract<MeetingEvent, { type: K }>, 'at' | 'device'>
> & { actorParticipantId?: string };
type Actual<K extends MeetingEventType> = Static<(typeof WIRE_EVENTS)[K]>;
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
type AllSame = { [K in MeetingEventType]: Same<Actual<K>, Expected<K>> };
/** The event types whose wire schema differs from the domain (must be none). */
type Mismatched = {
  [K in MeetingEventType]: AllSame[K] extends true ? never : K;
}[MeetingEventType];
const allSame: [Mismatched] extends [never] ? true : Mismatched = true;

describe('live events on the wire', () => {
  it('has a schema for every domain event type, and no other', () => {
    expect(allSame).toBe(true);
    expect(Object.keys(WIRE_EVENTS).sort()).toEqual([...MEETING_EVENT_TYPES].sort());
  });

  it.each(MEETING_EVENT_TYPES)('%s: the wire form of a domain event passes its schema', (type) => {
    const wire = toWireEvent(SAMPLES[type], 'actor');
    expect(Value.Errors(WireMeetingEvent, wire)).toEqual([]);
    expect(wire).not.toHaveProperty('at');
    expect(wire).not.toHaveProperty('device');
    expect(wire.actorParticipantId).toBe('actor');
  });

  it('refuses an event with an unknown type or a missing fact', () => {
    expect(Value.Check(WireMeetingEvent, { type: 'mode.changed', mode: 'dialogue' })).toBe(false);
    expect(Value.Check(WireMeetingEvent, { type: 'something.else' })).toBe(false);
    const frame = { type: 'event', seq: 1, at: new Date(0).toISOString() };
    expect(Value.Check(ServerMessage, { ...frame, event: { type: 'hand.raised' } })).toBe(false);
    expect(
      Value.Check(ServerMessage, { ...frame, event: toWireEvent(SAMPLES['hand.raised'], null) }),
    ).toBe(true);
  });
});
