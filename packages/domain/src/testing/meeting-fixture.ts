// Test support only (excluded from coverage, never exported): builds meetings by running real
// commands through `decide`, so fixtures cannot drift from the rules. Failures throw, which
// fails the calling test.
import type { MeetingCommand } from '../commands.ts';
import { decide, type Decision } from '../decide.ts';
import type { MeetingEvent } from '../meeting-events.ts';
import { initialMeetingState, type MeetingState, type Participant } from '../meeting-state.ts';
import type { MeetingRole } from '../roles.ts';
import type { DomainErrorCode } from '../result.ts';

export const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const STAFF = 'staff-1';

/** The usual cast: one participant per role. */
export const CAST = {
  f: 'facilitator',
  c: 'cofacilitator',
  t: 'team',
  z: 'centre',
  n: 'network',
  o: 'observer',
} as const satisfies Record<string, MeetingRole>;
export type CastId = keyof typeof CAST;

export interface Run {
  readonly state: MeetingState;
  readonly events: readonly MeetingEvent[];
}

/** The accepted decision, or a failed expectation naming the refusal. */
export function accepted(decision: Decision): Extract<Decision, { ok: true }> {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.code}`);
  return decision;
}

/** Asserts a refusal with this code. */
export function refused(decision: Decision, code: DomainErrorCode): void {
  const got = decision.ok ? 'acceptance' : decision.code;
  if (got !== code) throw new Error(`expected ${code}, got ${got}`);
}

/** Runs commands one second apart; every one must be accepted. */
export function run(commands: readonly MeetingCommand[], from?: Run, start = T0): Run {
  let state = from?.state ?? initialMeetingState();
  const events = [...(from?.events ?? [])];
  commands.forEach((command, i) => {
    const decision = accepted(decide(state, command, start + i * 1000));
    state = decision.state;
    events.push(...decision.events);
  });
  return { state, events };
}

export function inviteAll(roles: Partial<Record<string, MeetingRole>> = CAST): MeetingCommand[] {
  return Object.entries(roles).map(([participantId, role]) => ({
    type: 'invite',
    actorId: STAFF,
    participantId,
    role: role as MeetingRole,
  }));
}

export const knock = (id: string, companions: readonly string[] = []): MeetingCommand => ({
  type: 'join',
  actorId: id,
  companions,
});

/** Everyone invited; the facilitator and the centre person are in the room; the rest invited. */
export function liveMeeting(): Run {
  return run([
    ...inviteAll(),
    knock('f'),
    knock('z'),
    { type: 'admit', actorId: 'f', targetId: 'z' },
  ]);
}

/** Live meeting with everyone in the room (network and observer by both keys). */
export function fullRoom(): Run {
  return run(
    [
      knock('c'),
      knock('t'),
      knock('n'),
      knock('o'),
      { type: 'admit', actorId: 'f', targetId: 'n' },
      { type: 'consent', actorId: 'z', targetId: 'n' },
      { type: 'admit', actorId: 'f', targetId: 'o' },
      { type: 'consent', actorId: 'z', targetId: 'o' },
    ],
    liveMeeting(),
    T0 + 60_000,
  );
}

/** The participant, which must exist. */
export function who(state: MeetingState, id: string): Participant {
  const p = state.participants.find((x) => x.id === id);
  if (p === undefined) throw new Error(`no participant ${id}`);
  return p;
}

export function types(events: readonly MeetingEvent[]): string[] {
  return events.map((e) => e.type);
}
