import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import * as checks from 'virtual:checks';
import { checkModule } from '../../../typebox-checks.js';
import * as schemas from './schemas.ts';

// The compiled checks against TypeBox's own `Value.Check` on the same schema, which is what the
// browser used before they were compiled (ADR 0012): the two must agree on every value.

type Name = keyof typeof schemas;
const compiled = checks as unknown as Record<string, (value: unknown) => boolean>;
const check = (name: Name) => compiled[`is${name}`]!;

const ID = '0b5c8b6e-6a4e-4f0e-9d3a-2f1e7c9b8a01';
const me = {
  participantId: ID,
  displayName: 'Aino',
  role: 'centre',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};
const admission = {
  state: 'declined',
  role: 'network',
  admissionNumber: 0,
  companions: [{ name: 'Mum', agreed: true }],
  retryAt: '2026-11-21T10:05:00.000Z',
  hasCentrePerson: true,
  linkRevoked: false,
};
const waiting = {
  participantId: ID,
  displayName: 'Dad',
  role: 'network',
  state: 'waiting',
  companions: [],
  basis: 'two_keys',
  needsFacilitator: true,
  facilitatorAgreed: false,
  needsCentre: true,
  centreAgreed: false,
  pendingCompanions: [],
};
const lobby = { type: 'lobby', seq: 2, hasCentrePerson: true, waiting: [waiting] };

const CASES: [string, Name, unknown, boolean][] = [
  ['a snapshot', 'ServerMessage', snapshot(), true],
  ['a snapshot with a fractional seq', 'ServerMessage', { ...snapshot(), seq: 1.5 }, false],
  ['an admission with its retry time', 'ServerMessage', admissionMessage(admission), true],
  [
    'an admission whose retry time is not a date-time',
    'ServerMessage',
    admissionMessage({ ...admission, retryAt: 'in five minutes' }),
    false,
  ],
  ['a waiting room', 'ServerMessage', lobby, true],
  [
    'a waiting room with an id that is not a uuid',
    'ServerMessage',
    { ...lobby, waiting: [{ ...waiting, participantId: 'p2' }] },
    false,
  ],
  ['an unknown message', 'ServerMessage', { type: 'hello', seq: 1 }, false],
  ['a command answer', 'CommandResponse', { seq: 4 }, true],
  ['a negative command answer', 'CommandResponse', { seq: -1 }, false],
  ['entering', 'EnterMeetingResponse', { meetingId: ID, participantId: ID, seq: 0 }, true],
  [
    'entering as no one',
    'EnterMeetingResponse',
    { meetingId: ID, participantId: '', seq: 0 },
    false,
  ],
  ['a coded error', 'ErrorResponse', { error: { code: 'NOT_FOUND', message: 'x' } }, true],
  ['an unknown error code', 'ErrorResponse', { error: { code: 'BOOM', message: 'x' } }, false],
  ['no content', 'NoContent', null, true],
  ['an empty body where null is due', 'NoContent', undefined, false],
  ['content where none is due', 'NoContent', {}, false],
  [
    'a timeline',
    'TimelineResponse',
    {
      seq: 1,
      events: [{ type: 'event', seq: 1, at: 'x', event: { type: 'meeting.started', by: 'f' } }],
      people: [{ participantId: 'p1', displayName: 'Lee', role: 'facilitator' }],
    },
    true,
  ],
  [
    'a mode change',
    'ServerMessage',
    ev({ type: 'mode.changed', mode: 'reflecting', by: 'f', respondOrder: [] }),
    true,
  ],
  [
    'a mode that does not exist',
    'ServerMessage',
    ev({ type: 'mode.changed', mode: 'party', by: 'f', respondOrder: [] }),
    false,
  ],
  [
    'a mode change without its facts',
    'ServerMessage',
    ev({ type: 'mode.changed', mode: 'dialogue' }),
    false,
  ],
  ['an unknown event', 'ServerMessage', ev({ type: 'weather.changed' }), false],
  [
    'a record entry',
    'ServerMessage',
    ev({ type: 'record.added', entryId: 'e1', kind: 'decision', text: 'x', by: 'p1' }),
    true,
  ],
  [
    'a record entry of no kind',
    'ServerMessage',
    ev({ type: 'record.added', entryId: 'e1', kind: 'x', text: 'x', by: 'p1' }),
    false,
  ],
  [
    'fresh media (no longer a message)',
    'ServerMessage',
    { type: 'media', media: { url: 'wss://lk', token: 't', identity: 'p1' } },
    false,
  ],
];

/** A log event as the live channel frames it. */
function ev(event: Record<string, unknown>) {
  return { type: 'event', seq: 3, at: '2026-01-01T10:00:00.000Z', event };
}

function snapshot() {
  return {
    type: 'snapshot',
    seq: 3,
    meeting: { id: 'm1', mode: 'dialogue', state: 'live', encrypted: true },
    me,
    participants: [me],
    media: null,
  };
}

function admissionMessage(view: typeof admission) {
  return { type: 'admission', seq: 3, admission: view };
}

describe('compiled checks', () => {
  it.each(CASES)('%s: %s is %s', (_label, name, value, expected) => {
    expect(Value.Check(schemas[name], value)).toBe(expected);
    expect(check(name)(value)).toBe(expected);
  });

  it.each(Object.keys(schemas) as Name[])(
    'is%s exists and agrees with Value.Check on values of every shape',
    (name) => {
      for (const value of [undefined, null, 0, '', 'x', true, [], {}, { type: 'event' }]) {
        expect(check(name)(value), JSON.stringify(value)).toBe(Value.Check(schemas[name], value));
      }
    },
  );

  it('refuses a schema that needs a value the build cannot write out', () => {
    const refined: TSchema = Type.Refine(Type.String(), (value) => value.length > 2);
    expect(() => checkModule('Refined', refined)).toThrow(/Refined: only string formats/);
  });
});
