// Adding a role, a mode or a state must fail compilation until every table handles it. These
// tests pose as the day someone adds one: each `@ts-expect-error` below is checked by `tsc`
// (the typecheck fails if the error ever disappears, i.e. if a table stopped being exhaustive).
import { describe, expect, it } from 'vitest';
import { assertNever } from './assert-never.ts';
import { ADMISSION_RULE, type AdmissionRule } from './admission-rules.ts';
import { COMMAND_NAMES, COMMAND_ROLES, MAY_TURN_AWAY, type CommandName } from './command-rules.ts';
import { CAMERA_FOLLOWS_SETTING, PUBLISH_SOURCES, type MediaSource } from './grants.ts';
import { NAMES_A_LANGUAGE } from './interpreted-language.ts';
import { MODE_TRANSITIONS } from './mode-machine.ts';
import { MODES, type Mode } from './modes.ts';
import {
  PRESENCE,
  PARTICIPANT_STATES,
  type ParticipantState,
  type Presence,
} from './participant-state.ts';
import { IS_REFLECTING_TEAM, MEETING_ROLES, isReflectingTeam, type MeetingRole } from './roles.ts';
import { VOICE_LINE } from './voices.ts';

type NewRole = MeetingRole | 'newrole';
type NewMode = Mode | 'newmode';

describe('a new role fails compilation until placed', () => {
  it('in the reflecting-team table', () => {
    // @ts-expect-error 'newrole' is missing from the table
    const table = { ...IS_REFLECTING_TEAM } satisfies Record<NewRole, boolean>;
    expect(Object.keys(table)).toEqual([...MEETING_ROLES]);
  });

  it('in the permission table', () => {
    // @ts-expect-error 'newrole' has no sources in dialogue
    const dialogue = { ...PUBLISH_SOURCES.dialogue } satisfies Record<
      NewRole,
      readonly MediaSource[]
    >;
    expect(Object.keys(dialogue)).toHaveLength(MEETING_ROLES.length);
  });

  it('in the admission rules', () => {
    // @ts-expect-error 'newrole' has no admission rule
    const rules = { ...ADMISSION_RULE } satisfies Record<NewRole, AdmissionRule>;
    expect(Object.keys(rules)).toHaveLength(MEETING_ROLES.length);
  });

  it('in the command table and the turn-away table', () => {
    // @ts-expect-error nobody said whether 'newrole' may admit
    const admit = { ...COMMAND_ROLES.admit } satisfies Record<NewRole, boolean>;
    // @ts-expect-error nobody said whom 'newrole' may turn away
    const turn = { ...MAY_TURN_AWAY } satisfies Record<NewRole, Record<MeetingRole, boolean>>;
    expect(Object.keys(admit)).toHaveLength(MEETING_ROLES.length);
    expect(Object.keys(turn)).toHaveLength(MEETING_ROLES.length);
  });

  it('in every switch guarded by assertNever', () => {
    function speaksInReflection(role: NewRole): boolean {
      // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- the point of the test
      switch (role) {
        case 'facilitator':
        case 'cofacilitator':
        case 'team':
          return true;
        case 'centre':
        case 'network':
        case 'observer':
        case 'interpreter':
          return false;
        default:
          // @ts-expect-error 'newrole' reaches assertNever: the switch is not exhaustive
          return assertNever(role, 'role');
      }
    }
    for (const role of MEETING_ROLES) expect(speaksInReflection(role)).toBe(isReflectingTeam(role));
    expect(() => speaksInReflection('newrole')).toThrow('Unexpected role: "newrole"');
  });
});

describe('the interpreter is placed in every role table', () => {
  // The day `interpreter` was added (issue 16): each table below fails compilation without it
  // (`satisfies Record<MeetingRole, …>`), and this says at run time what it was given.
  it('speaks in both modes, needs both keys, holds no power, is their own voice', () => {
    expect(MEETING_ROLES).toContain('interpreter');
    const without = MEETING_ROLES.filter((r) => r !== 'interpreter');
    // @ts-expect-error a table without the interpreter is not a table of every role
    const shortTable = { facilitator: 1 } satisfies Record<MeetingRole, number>;
    expect(Object.keys(shortTable)).not.toContain('interpreter');
    expect(without).toHaveLength(MEETING_ROLES.length - 1);
    expect(IS_REFLECTING_TEAM.interpreter).toBe(false);
    expect(PUBLISH_SOURCES.dialogue.interpreter).toEqual(['camera', 'microphone']);
    expect(PUBLISH_SOURCES.reflecting.interpreter).toEqual(['camera', 'microphone']);
    expect(CAMERA_FOLLOWS_SETTING.interpreter).toBe(false);
    expect(ADMISSION_RULE.interpreter).toBe('two_keys');
    const powers = COMMAND_NAMES.filter((c) => COMMAND_ROLES[c].interpreter);
    expect(powers).toEqual(['update_own_companions', 'update_own_plan', 'leave']);
    expect(MEETING_ROLES.filter((r) => MAY_TURN_AWAY.interpreter[r])).toEqual([]);
    expect(MEETING_ROLES.filter((r) => MAY_TURN_AWAY[r].interpreter)).toEqual([
      'facilitator',
      'cofacilitator',
      'centre',
    ]);
    expect(VOICE_LINE.interpreter).toBe('interpreter');
    expect(NAMES_A_LANGUAGE.interpreter).toBe(true);
  });
});

describe('a new mode fails compilation until placed', () => {
  it('in the permission table and the transitions', () => {
    // @ts-expect-error 'newmode' has no permission row
    const sources = { ...PUBLISH_SOURCES } satisfies Record<NewMode, unknown>;
    // @ts-expect-error 'newmode' has no transitions
    const transitions = { ...MODE_TRANSITIONS } satisfies Record<NewMode, readonly Mode[]>;
    expect(Object.keys(sources)).toEqual([...MODES]);
    expect(Object.keys(transitions)).toEqual([...MODES]);
  });
});

describe('a new participant state or command fails compilation until placed', () => {
  it('in the presence table', () => {
    // @ts-expect-error 'on_hold' has no presence
    const presence = { ...PRESENCE } satisfies Record<ParticipantState | 'on_hold', Presence>;
    expect(Object.keys(presence)).toEqual([...PARTICIPANT_STATES]);
  });

  it('in the command table', () => {
    // @ts-expect-error nobody said who may 'mute_all'
    const table = { ...COMMAND_ROLES } satisfies Record<CommandName | 'mute_all', unknown>;
    expect(Object.keys(table)).toContain('admit');
  });
});

describe('assertNever', () => {
  it('throws, naming the value, when a bug reaches it', () => {
    expect(() => assertNever('x' as never)).toThrow('Unexpected value: "x"');
  });
});
