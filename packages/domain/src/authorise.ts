import type { MeetingRole } from './roles.ts';
import { PRESENCE, type ParticipantState } from './participant-state.ts';
import { reject, type Rejection } from './result.ts';
import {
  ACTOR_REQUIREMENT,
  COMMAND_ROLES,
  MAY_TURN_AWAY,
  TARGET_REQUIREMENT,
  type ActorRequirement,
  type CommandName,
  type TargetRequirement,
} from './command-rules.ts';

/** The facts about a person that authorisation depends on. A `Participant` fits. */
export interface ActorView {
  readonly id: string;
  readonly role: MeetingRole;
  readonly state: ParticipantState;
}

export type Authorisation = { readonly ok: true } | Rejection;

const OK: Authorisation = { ok: true };

function actorMeets(requirement: ActorRequirement, state: ParticipantState): boolean {
  const presence = PRESENCE[state];
  switch (requirement) {
    case 'media':
      return presence === 'media';
    case 'present':
      return presence !== 'away';
    case 'any':
      return true;
  }
}

function targetRefusal(requirement: TargetRequirement, state: ParticipantState): Rejection | null {
  const presence = PRESENCE[state];
  if (requirement === 'lobby' && presence !== 'lobby') return reject('TARGET_NOT_WAITING');
  if (requirement === 'admitted' && presence !== 'media') return reject('TARGET_NOT_ADMITTED');
  return null;
}

/**
 * May this actor issue this command (on this target)? The one place the rules of who-may-do-what
 * live; the signal service calls it (through `decide`) for every command. Never throws: a
 * refusal is a coded value. Checks run in order: role (`FORBIDDEN`), the actor's own state
 * (`NOT_ADMITTED`), then the target (`TARGET_REQUIRED`, `SELF_TARGET`, `TARGET_NOT_WAITING`,
 * `TARGET_NOT_ADMITTED`, `TARGET_PROTECTED`). Mode-dependent rules (a wish to respond only
 * during a reflection) are checked by `decide`, which knows the mode.
 */
export function authorise(
  actor: ActorView,
  command: CommandName,
  target?: ActorView,
): Authorisation {
  if (!COMMAND_ROLES[command][actor.role]) return reject('FORBIDDEN');
  if (!actorMeets(ACTOR_REQUIREMENT[command], actor.state)) return reject('NOT_ADMITTED');
  const requirement = TARGET_REQUIREMENT[command];
  if (requirement === 'none') return OK;
  if (target === undefined) return reject('TARGET_REQUIRED');
  if (target.id === actor.id) return reject('SELF_TARGET');
  const refusal = targetRefusal(requirement, target.state);
  if (refusal) return refusal;
  const turnsAway = command === 'decline' || command === 'remove';
  if (turnsAway && !MAY_TURN_AWAY[actor.role][target.role]) return reject('TARGET_PROTECTED');
  return OK;
}
