// Property tests: random command sequences from a random cast, through the real `decide`.
// Invariants are checked after every accepted step, not only at the end.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MeetingCommand } from './commands.ts';
import { decide } from './decide.ts';
import { grantsFor } from './meeting-grants.ts';
import type { MeetingEvent } from './meeting-events.ts';
import {
  findParticipant,
  initialMeetingState,
  type MeetingState,
  type Participant,
} from './meeting-state.ts';
import { currentIdentities, isIdentityCurrent, mediaIdentity } from './media-identity.ts';
import { reduce, replay } from './reduce.ts';
import { isReflectingTeam, type MeetingRole } from './roles.ts';

const STAFF = 'staff';
const CORE: Record<string, MeetingRole> = { f: 'facilitator', c: 'cofacilitator', t: 'team' };
const GUESTS: Record<string, MeetingRole> = {
  n1: 'network',
  n2: 'network',
  o: 'observer',
  i: 'interpreter',
};
const IDS = ['f', 'c', 't', 'z', 'n1', 'n2', 'o', 'i', 'ghost'];
/** Who may speak during a reflection, restated independently of the code's tables. */
const SPEAKS_IN_REFLECTION: readonly MeetingRole[] = [
  'facilitator',
  'cofacilitator',
  'team',
  'interpreter',
];
const GRANT_KEYS = [
  'canPublish',
  'canPublishData',
  'canPublishSources',
  'canSubscribe',
  'canUpdateOwnMetadata',
];

const id = fc.constantFrom(...IDS);
const guest = fc.constantFrom('n1', 'n2', 'o', 'i', 'z');
const facilitatorOrAnyone = fc.oneof(fc.constantFrom('f', 'c'), id);
const centreOrAnyone = fc.oneof(fc.constant('z'), id);
const companions = fc.subarray(['Mum', 'Grandad', ' Mum ']);

const command: fc.Arbitrary<MeetingCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant('join'), actorId: fc.oneof(guest, id), companions }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('admit'),
      actorId: facilitatorOrAnyone,
      targetId: guest,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('consent'),
      actorId: centreOrAnyone,
      targetId: fc.oneof(guest, id),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('decline'),
      actorId: fc.oneof(facilitatorOrAnyone, centreOrAnyone),
      targetId: id,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('remove'),
      actorId: fc.oneof(facilitatorOrAnyone, centreOrAnyone),
      targetId: fc.oneof(guest, id),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('switch_mode'),
      actorId: facilitatorOrAnyone,
      mode: fc.constantFrom('dialogue', 'reflecting'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('raise_hand'), actorId: id }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('leave'), actorId: id }) },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('update_own_companions'), actorId: id, companions }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('update_own_plan'), actorId: id }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('record_pre_approval'),
      actorId: fc.constant(STAFF),
      participantId: id,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('revoke_link'),
      actorId: fc.constant(STAFF),
      participantId: guest,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('change_settings'),
      actorId: facilitatorOrAnyone,
      settings: fc.record({ networkCamerasInReflection: fc.boolean() }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('record'),
      actorId: id,
      entryId: fc.constantFrom('e1', 'e2'),
      kind: fc.constantFrom('decision', 'next_step'),
      text: fc.constantFrom('Meet Friday', ' '),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('end'), actorId: id }) },
);

const scenario = fc.record({
  withCentre: fc.boolean(),
  steps: fc.array(fc.record({ command, dt: fc.integer({ min: 0, max: 120_000 }) }), {
    minLength: 20,
    maxLength: 80,
  }),
});

interface Counters {
  admittedGuests: number;
  guestsInReflection: number;
  interpretersInReflection: number;
  interpreterActs: number;
  withdrawals: number;
  readmissions: number;
}
const seen: Counters = {
  admittedGuests: 0,
  guestsInReflection: 0,
  interpretersInReflection: 0,
  interpreterActs: 0,
  withdrawals: 0,
  readmissions: 0,
};

/** The two-key rule restated independently of the code's tables (product.md section 4). */
function keysTurned(state: MeetingState, p: Participant): boolean {
  const facilitator = p.facilitatorKey !== null;
  if (['facilitator', 'cofacilitator', 'team'].includes(p.role)) {
    return p.state === 'waiting' || facilitator; // their own knock, or let back in after removal
  }
  if (p.role === 'centre' || !state.participants.some((x) => x.role === 'centre'))
    return facilitator;
  return facilitator && p.consent !== null && p.companions.every((c) => c.agreed);
}

/** The facts checked after every accepted step. */
function checkStep(
  before: MeetingState,
  events: readonly MeetingEvent[],
  after: MeetingState,
): void {
  // Nobody is admitted without every key their rule needs, turned before the door opened.
  let running = before;
  for (const event of events) {
    if (event.type === 'participant.admitted') {
      const p = findParticipant(running, event.participantId);
      expect(p?.state === 'waiting' || p?.state === 'stepped_out').toBe(true);
      if (p) expect(keysTurned(running, p)).toBe(true);
      expect(event.admissionNumber).toBe((p?.admissionNumber ?? 0) + 1);
      if (p && ['network', 'observer', 'interpreter'].includes(p.role)) seen.admittedGuests += 1;
      if (p && p.admissionNumber > 0) seen.readmissions += 1;
    }
    running = reduce(running, event);
  }
  for (const p of after.participants) {
    const grants = grantsFor(after, p.id);
    // Nobody gets any grant before admission.
    if (p.state !== 'admitted') expect(grants).toBeNull();
    if (grants === null) continue;
    expect(p.admissionNumber).toBeGreaterThan(0);
    // No grant ever includes hidden, recorder or admin rights.
    expect(Object.keys(grants).sort()).toEqual(GRANT_KEYS);
    expect(grants.canUpdateOwnMetadata).toBe(false);
    expect(grants.canPublishData).toBe(false);
    expect(grants.canSubscribe).toBe(true);
    // Nobody outside the reflecting team or an interpreter publishes a microphone in reflecting
    // mode; the interpreter always may (the family hears the reflection in their language).
    if (after.mode === 'reflecting') {
      expect(grants.canPublishSources.includes('microphone')).toBe(
        SPEAKS_IN_REFLECTION.includes(p.role),
      );
      if (!isReflectingTeam(p.role)) seen.guestsInReflection += 1;
      if (p.role === 'interpreter') seen.interpretersInReflection += 1;
    }
    // An interpreter keeps microphone and camera in both modes, whatever the camera setting.
    if (p.role === 'interpreter') {
      expect(grants.canPublishSources).toEqual(expect.arrayContaining(['microphone', 'camera']));
    }
  }
}

describe('meeting properties over random command sequences', () => {
  it('hold after every step', () => {
    fc.assert(
      fc.property(scenario, ({ withCentre, steps }) => {
        const cast = { ...CORE, ...GUESTS, ...(withCentre ? { z: 'centre' as const } : {}) };
        let state = initialMeetingState();
        let now = 1_767_225_600_000;
        const log: MeetingEvent[] = [];
        const invites: MeetingCommand[] = Object.entries(cast).map(([participantId, role]) => ({
          type: 'invite',
          actorId: STAFF,
          participantId,
          role,
        }));
        // The facilitator opens the meeting and, when there is one, admits the centre person.
        const opening: MeetingCommand[] = [
          ...invites,
          { type: 'join', actorId: 'f', companions: [] },
          { type: 'join', actorId: 'c', companions: [] },
          { type: 'join', actorId: 'z', companions: [] },
          { type: 'admit', actorId: 'f', targetId: 'z' },
        ];
        const withdrawn = new Set<string>();
        const everCurrent = new Set<string>();
        for (const { command: next, dt } of [
          ...opening.map((c) => ({ command: c, dt: 0 })),
          ...steps,
        ]) {
          now += dt;
          const decision = decide(state, next, now);
          if (!decision.ok) continue;
          // The interpreter never admits, declines, consents, removes, switches modes, writes
          // the record, changes settings or ends the meeting: only knocks, companions, leaving.
          const actorRole: MeetingRole | undefined = (cast as Record<string, MeetingRole>)[
            next.actorId
          ];
          if (actorRole === 'interpreter') {
            expect(['join', 'update_own_companions', 'update_own_plan', 'leave']).toContain(
              next.type,
            );
            seen.interpreterActs += 1;
          }
          checkStep(state, decision.events, decision.state);
          log.push(...decision.events);
          state = decision.state;
          // The replayed log equals the live state.
          expect(replay(log)).toEqual(state);
          // A withdrawn participant's old admission number is never valid again.
          for (const event of decision.events) {
            if (event.type === 'participant.removed') {
              withdrawn.add(mediaIdentity(event.participantId, event.admissionNumber));
              seen.withdrawals += 1;
            }
          }
          for (const identity of withdrawn) expect(isIdentityCurrent(state, identity)).toBe(false);
          // More generally, an identity that stopped being current never comes back.
          const current = new Set(currentIdentities(state));
          for (const identity of everCurrent) {
            if (!current.has(identity)) withdrawn.add(identity);
          }
          for (const identity of current) everCurrent.add(identity);
        }
      }),
      { numRuns: 300 },
    );
    // The properties were not vacuous: the random walks reached the interesting states.
    expect(seen.admittedGuests).toBeGreaterThan(30);
    expect(seen.guestsInReflection).toBeGreaterThan(100);
    // 17 to 43 in 300 walks (seen over seven runs): the bound says "reached", not "often".
    expect(seen.interpretersInReflection).toBeGreaterThan(5);
    expect(seen.interpreterActs).toBeGreaterThan(20);
    expect(seen.withdrawals).toBeGreaterThan(5);
    expect(seen.readmissions).toBeGreaterThan(5);
  }, 60_000); // hundreds of random meetings, replayed after every step: seconds, not ms
});
