import { describe, expect, it } from 'vitest';
import { authorise, type ActorView } from './authorise.ts';
import {
  COMMAND_NAMES,
  COMMAND_ROLES,
  TARGET_REQUIREMENT,
  type CommandName,
} from './command-rules.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';

/** Who may do what, written out independently of the code's tables (product.md section 2). */
const MATRIX = `
                       facilitator cofacilitator team centre network observer interpreter
admit                  yes         yes           -    -      -       -        -
decline                yes         yes           -    yes    -       -        -
consent                -           -             -    yes    -       -        -
remove                 yes         yes           -    yes    -       -        -
switch_mode            yes         yes           -    -      -       -        -
record                 yes         yes           -    -      -       -        -
end                    yes         yes           -    -      -       -        -
update_own_companions  yes         yes           yes  yes    yes     yes      yes
update_own_plan        yes         yes           yes  yes    yes     yes      yes
raise_hand             -           -             -    yes    yes     -        -
change_settings        yes         yes           -    -      -       -        -
leave                  yes         yes           yes  yes    yes     yes      yes
`;

function parseMatrix(text: string): Map<string, boolean> {
  const [header, ...rows] = text.trim().split('\n');
  const roles = (header ?? '').trim().split(/\s+/);
  const cells = new Map<string, boolean>();
  for (const row of rows) {
    const [command, ...marks] = row.trim().split(/\s+/);
    marks.forEach((mark, i) => cells.set(`${command} ${roles[i]}`, mark === 'yes'));
  }
  return cells;
}

const EXPECTED = parseMatrix(MATRIX);
const person = (id: string, role: MeetingRole, state: ParticipantState): ActorView => ({
  id,
  role,
  state,
});

/** A target each command can legitimately act on, chosen so only the role decides. */
function targetFor(command: CommandName): ActorView | undefined {
  switch (TARGET_REQUIREMENT[command]) {
    case 'lobby':
      return person('target', 'network', 'waiting');
    case 'admitted':
      return person('target', 'network', 'admitted');
    case 'anyone':
      return person('target', 'network', 'invited');
    case 'none':
      return undefined;
  }
}

describe('authorise: who may do what', () => {
  const cases = COMMAND_NAMES.flatMap((command) =>
    MEETING_ROLES.map((role) => ({ command, role })),
  );

  it('the matrix covers every command and role', () => {
    expect(EXPECTED.size).toBe(COMMAND_NAMES.length * MEETING_ROLES.length);
    for (const { command, role } of cases) expect(EXPECTED.has(`${command} ${role}`)).toBe(true);
  });

  it.each(cases)('$role: $command', ({ command, role }) => {
    const allowed = EXPECTED.get(`${command} ${role}`);
    expect(COMMAND_ROLES[command][role]).toBe(allowed);
    const result = authorise(person('actor', role, 'admitted'), command, targetFor(command));
    expect(result).toEqual(allowed ? { ok: true } : { ok: false, code: 'FORBIDDEN' });
  });
});

describe('authorise: nobody acts unless admitted', () => {
  const notAdmitted = PARTICIPANT_STATES.filter((s) => s !== 'admitted');

  it.each(notAdmitted)('a facilitator who is %s cannot admit, switch mode or end', (state) => {
    const f = person('f', 'facilitator', state);
    const waiting = person('n', 'network', 'waiting');
    expect(authorise(f, 'admit', waiting)).toEqual({ ok: false, code: 'NOT_ADMITTED' });
    expect(authorise(f, 'switch_mode')).toEqual({ ok: false, code: 'NOT_ADMITTED' });
    expect(authorise(f, 'end')).toEqual({ ok: false, code: 'NOT_ADMITTED' });
  });

  it.each(notAdmitted)('a centre person who is %s cannot consent', (state) => {
    const z = person('z', 'centre', state);
    expect(authorise(z, 'consent', person('n', 'network', 'waiting'))).toMatchObject({
      code: 'NOT_ADMITTED',
    });
  });

  it.each(PARTICIPANT_STATES)('companions can be updated while %s only if present', (state) => {
    const present = state === 'waiting' || state === 'admitted' || state === 'stepped_out';
    const result = authorise(person('n', 'network', state), 'update_own_companions');
    expect(result).toEqual(present ? { ok: true } : { ok: false, code: 'NOT_ADMITTED' });
  });

  it.each(PARTICIPANT_STATES)('leaving is always allowed (%s)', (state) => {
    expect(authorise(person('n', 'network', state), 'leave')).toEqual({ ok: true });
  });

  it('a role forbidden a command hears FORBIDDEN before NOT_ADMITTED', () => {
    expect(authorise(person('n', 'network', 'waiting'), 'admit')).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('authorise: targets', () => {
  const f = person('f', 'facilitator', 'admitted');
  const z = person('z', 'centre', 'admitted');

  it('needs a target for admit, decline, consent and remove', () => {
    for (const command of ['admit', 'decline', 'consent', 'remove'] as const) {
      const actor = command === 'consent' ? z : f;
      expect(authorise(actor, command)).toEqual({ ok: false, code: 'TARGET_REQUIRED' });
    }
  });

  it('refuses acting on oneself', () => {
    expect(authorise(f, 'remove', f)).toEqual({ ok: false, code: 'SELF_TARGET' });
    expect(authorise(z, 'consent', z)).toEqual({ ok: false, code: 'SELF_TARGET' });
  });

  it.each(PARTICIPANT_STATES)('admit and decline need the target in the lobby (%s)', (state) => {
    const inLobby = state === 'waiting' || state === 'stepped_out';
    const target = person('n', 'network', state);
    const expected = inLobby ? { ok: true } : { ok: false, code: 'TARGET_NOT_WAITING' };
    expect(authorise(f, 'admit', target)).toEqual(expected);
    expect(authorise(f, 'decline', target)).toEqual(expected);
  });

  it.each(PARTICIPANT_STATES)('remove needs the target in the room (%s)', (state) => {
    const target = person('n', 'network', state);
    const expected =
      state === 'admitted' ? { ok: true } : { ok: false, code: 'TARGET_NOT_ADMITTED' };
    expect(authorise(f, 'remove', target)).toEqual(expected);
  });

  it.each(PARTICIPANT_STATES)('consent may be given whatever the target state (%s)', (state) => {
    expect(authorise(z, 'consent', person('n', 'network', state))).toEqual({ ok: true });
  });

  /** Whom each turning-away role may decline or remove, written out independently. */
  const TURN_AWAY: Record<'facilitator' | 'cofacilitator' | 'centre', readonly MeetingRole[]> = {
    facilitator: ['facilitator', 'cofacilitator', 'team', 'network', 'observer', 'interpreter'],
    cofacilitator: ['facilitator', 'cofacilitator', 'team', 'network', 'observer', 'interpreter'],
    centre: ['network', 'observer', 'interpreter'],
  };

  it.each(Object.entries(TURN_AWAY))('%s may turn away exactly %j', (actorRole, allowed) => {
    const actor = person('actor', actorRole as MeetingRole, 'admitted');
    for (const role of MEETING_ROLES) {
      const ok = allowed.includes(role);
      const expected = ok ? { ok: true } : { ok: false, code: 'TARGET_PROTECTED' };
      expect(authorise(actor, 'remove', person('t', role, 'admitted'))).toEqual(expected);
      expect(authorise(actor, 'decline', person('t', role, 'waiting'))).toEqual(expected);
    }
  });

  it('never lets anyone turn away the person at the centre', () => {
    for (const role of MEETING_ROLES) {
      const actor = person('actor', role, 'admitted');
      expect(authorise(actor, 'remove', person('z', 'centre', 'admitted')).ok).toBe(false);
    }
  });
});
