import { describe, expect, it } from 'vitest';
import {
  MAX_PLAN_CONTROLLER,
  MAX_PLAN_REACH,
  maySeePlanOf,
  normaliseCutoffPlan,
  PLAN_READERS,
  samePlan,
  timelineShows,
} from './cutoff-plan.ts';
import { decide } from './decide.ts';
import { isEventVisibleTo } from './live-audience.ts';
import type { MeetingEvent } from './meeting-events.ts';
import type { Participant } from './meeting-state.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';
import { accepted, fullRoom, liveMeeting, refused, T0 } from './testing/meeting-fixture.ts';

function person(id: string, role: MeetingRole, state: ParticipantState): Participant {
  return {
    id,
    role,
    state,
    companions: [],
    admissionNumber: 1,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: null,
    otherDevice: null,
    connection: 'connected',
    lostAt: null,
  };
}

/** Who reads someone else's plan from the room, written out apart from the code's table. */
const READS_OTHERS = `
facilitator    yes
cofacilitator  yes
team           -
centre         -
network        -
observer       -
interpreter    -
`;
const EXPECTED = new Map(
  READS_OTHERS.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/) as [MeetingRole, string])
    .map(([role, mark]) => [role, mark === 'yes']),
);

describe('who sees a cut-off plan', () => {
  it('the table names every role, as the written matrix does', () => {
    expect(Object.keys(PLAN_READERS).sort()).toEqual([...MEETING_ROLES].sort());
    for (const role of MEETING_ROLES) expect(PLAN_READERS[role]).toBe(EXPECTED.get(role));
  });

  it.each(
    MEETING_ROLES.flatMap((role) => PARTICIPANT_STATES.map((state) => [role, state] as const)),
  )("a %s who is %s sees someone else's plan only as a facilitator in the room", (role, state) => {
    const sees = state === 'admitted' && EXPECTED.get(role) === true;
    expect(maySeePlanOf(person('viewer', role, state), 'subject')).toBe(sees);
  });

  it.each(
    MEETING_ROLES.flatMap((role) => PARTICIPANT_STATES.map((state) => [role, state] as const)),
  )('a %s who is %s always sees their own plan', (role, state) => {
    expect(maySeePlanOf(person('me', role, state), 'me')).toBe(true);
  });

  const changed: MeetingEvent = { type: 'plan.changed', at: T0, participantId: 'subject' };

  it.each([
    ['facilitator', 'admitted', true],
    ['cofacilitator', 'admitted', true],
    ['facilitator', 'waiting', false],
    ['team', 'admitted', false],
    ['centre', 'admitted', false],
    ['network', 'admitted', false],
    ['observer', 'admitted', false],
  ] as const)("a %s who is %s is told that someone's plan changed: %s", (role, state, visible) => {
    expect(isEventVisibleTo(person('viewer', role, state), changed)).toBe(visible);
  });

  it.each([
    ['the person it is about', 'subject', changed, true],
    ['anyone else', 'viewer', changed, false],
    ['staff', null, changed, false],
    ['anyone, for another event', 'viewer', { ...changed, type: 'media.lost' } as const, true],
  ] as const)(
    'the timeline read later shows %s a plan change: %s',
    (_who, reader, event, shown) => {
      expect(timelineShows(reader, event)).toBe(shown);
    },
  );

  it('the person whose plan changed is told, wherever they are', () => {
    for (const state of PARTICIPANT_STATES) {
      expect(isEventVisibleTo(person('subject', 'network', state), changed)).toBe(true);
    }
  });
});

describe('normalising a plan', () => {
  it.each([
    [
      { controlledBy: ' Mum ', reachBy: "call Mum's\nmobile" },
      { controlledBy: 'Mum', reachBy: "call Mum's mobile" },
    ],
    [
      { controlledBy: 'Ma\u200Bri', reachBy: '' },
      { controlledBy: 'Ma ri', reachBy: '' },
    ],
    [
      { controlledBy: 'Cafe\u0301', reachBy: 'x' },
      { controlledBy: 'Café', reachBy: 'x' },
    ],
    [
      { controlledBy: '', reachBy: '\u202Eevil' },
      { controlledBy: '', reachBy: 'evil' },
    ],
    [{ controlledBy: '  ', reachBy: '\u200B' }, null],
  ])('%o is stored as %o', (input, stored) => {
    expect(normaliseCutoffPlan(input)).toEqual(stored);
  });

  it('refuses a field longer than its bound, and keeps one at the bound', () => {
    const at = {
      controlledBy: 'a'.repeat(MAX_PLAN_CONTROLLER),
      reachBy: 'b'.repeat(MAX_PLAN_REACH),
    };
    expect(normaliseCutoffPlan(at)).toEqual(at);
    expect(normaliseCutoffPlan({ ...at, controlledBy: `${at.controlledBy}a` })).toBe('invalid');
    expect(normaliseCutoffPlan({ ...at, reachBy: `${at.reachBy}b` })).toBe('invalid');
  });

  it('tells a repeat from a change', () => {
    const plan = { controlledBy: 'Mum', reachBy: 'call' };
    expect(samePlan(null, null)).toBe(true);
    expect(samePlan(plan, { ...plan })).toBe(true);
    expect(samePlan(plan, null)).toBe(false);
    expect(samePlan(null, plan)).toBe(false);
    expect(samePlan(plan, { ...plan, reachBy: 'text' })).toBe(false);
    expect(samePlan(plan, { ...plan, controlledBy: 'Dad' })).toBe(false);
  });
});

describe('saying that one’s plan changed', () => {
  it('is a fact without text, from the room or the lobby', () => {
    const room = fullRoom().state;
    const done = accepted(decide(room, { type: 'update_own_plan', actorId: 'n' }, T0 + 1));
    expect(done.events).toEqual([{ type: 'plan.changed', at: T0 + 1, participantId: 'n' }]);
    expect(done.state).toEqual(room);
  });

  it('is refused to someone not in the meeting', () => {
    refused(
      decide(liveMeeting().state, { type: 'update_own_plan', actorId: 'n' }, T0 + 1),
      'NOT_ADMITTED',
    );
  });
});
