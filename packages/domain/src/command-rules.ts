import type { MeetingRole } from './roles.ts';

/** Commands a participant issues inside a meeting; each is checked by `authorise`. */
export const COMMAND_NAMES = [
  'admit',
  'decline',
  'consent',
  'remove',
  'switch_mode',
  'record',
  'end',
  'update_own_companions',
  'update_own_plan',
  'raise_hand',
  'change_settings',
  'leave',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

type RoleRow = Record<MeetingRole, boolean>;
const Y = true;
const N = false;

/**
 * Which meeting roles may issue each command (product.md section 2). The cofacilitator has the
 * same powers as the facilitator, ending the meeting included: a meeting must never be left
 * without someone able to end it when the facilitator's connection drops. The centre person
 * consents and may ask someone to leave (withdrawing consent). Observers never speak, so they
 * cannot raise a wish to respond. An interpreter speaks for others, not for themselves: they
 * hold no power beyond their own companions and leaving (product.md section 2).
 */
export const COMMAND_ROLES = {
  admit: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  decline: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: Y,
    network: N,
    observer: N,
    interpreter: N,
  },
  consent: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: Y,
    network: N,
    observer: N,
    interpreter: N,
  },
  remove: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: Y,
    network: N,
    observer: N,
    interpreter: N,
  },
  switch_mode: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  record: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  end: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  update_own_companions: {
    facilitator: Y,
    cofacilitator: Y,
    team: Y,
    centre: Y,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
  update_own_plan: {
    facilitator: Y,
    cofacilitator: Y,
    team: Y,
    centre: Y,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
  raise_hand: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: Y,
    network: Y,
    observer: N,
    interpreter: N,
  },
  change_settings: {
    facilitator: Y,
    cofacilitator: Y,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  leave: {
    facilitator: Y,
    cofacilitator: Y,
    team: Y,
    centre: Y,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
} as const satisfies Record<CommandName, RoleRow>;

/**
 * Where the actor must be: `media` (admitted), `present` (admitted or in the lobby) or `any`.
 * Nobody acts unless admitted, except updating their own companions or cut-off plan from the lobby, and
 * leaving, which is always possible.
 */
export type ActorRequirement = 'media' | 'present' | 'any';

export const ACTOR_REQUIREMENT = {
  admit: 'media',
  decline: 'media',
  consent: 'media',
  remove: 'media',
  switch_mode: 'media',
  record: 'media',
  end: 'media',
  update_own_companions: 'present',
  update_own_plan: 'present',
  raise_hand: 'media',
  change_settings: 'media',
  leave: 'any',
} as const satisfies Record<CommandName, ActorRequirement>;

/**
 * What the command acts on: `none`, someone in the `lobby` (admit, decline), someone in the
 * room (`admitted`: ask to leave) or `anyone` (consent may be given ahead of a knock).
 */
export type TargetRequirement = 'none' | 'lobby' | 'admitted' | 'anyone';

export const TARGET_REQUIREMENT = {
  admit: 'lobby',
  decline: 'lobby',
  consent: 'anyone',
  remove: 'admitted',
  switch_mode: 'none',
  record: 'none',
  end: 'none',
  update_own_companions: 'none',
  update_own_plan: 'none',
  raise_hand: 'none',
  change_settings: 'none',
  leave: 'none',
} as const satisfies Record<CommandName, TargetRequirement>;

/**
 * Whom each role may decline or ask to leave (rows: actor, columns: target). Facilitators may
 * turn away anyone but the person at the centre: nothing about them without them. The centre
 * person may turn away only those whose presence needs their consent.
 */
export const MAY_TURN_AWAY = {
  facilitator: {
    facilitator: Y,
    cofacilitator: Y,
    team: Y,
    centre: N,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
  cofacilitator: {
    facilitator: Y,
    cofacilitator: Y,
    team: Y,
    centre: N,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
  team: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  centre: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: N,
    network: Y,
    observer: Y,
    interpreter: Y,
  },
  network: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  observer: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
  interpreter: {
    facilitator: N,
    cofacilitator: N,
    team: N,
    centre: N,
    network: N,
    observer: N,
    interpreter: N,
  },
} as const satisfies Record<MeetingRole, RoleRow>;
