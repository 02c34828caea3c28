import type { MeetingRole } from './roles.ts';
import { centrePerson, type MeetingState, type Participant } from './meeting-state.ts';

/**
 * Who must agree before someone with a given role is let in (product.md section 4, rule 2):
 * - `core_team`: nobody; core-team staff join directly.
 * - `facilitator`: a facilitator alone (the centre person).
 * - `two_keys`: a facilitator admits AND the centre person consents.
 */
export type AdmissionRule = 'core_team' | 'facilitator' | 'two_keys';

/**
 * The rule per meeting role. The signal service must give the `team` role only to the network's
 * core-team staff; other staff join as `network` (another professional), `observer` or
 * `interpreter`, and so need the centre person's consent like anyone else.
 */
export const ADMISSION_RULE = {
  facilitator: 'core_team',
  cofacilitator: 'core_team',
  team: 'core_team',
  centre: 'facilitator',
  network: 'two_keys',
  observer: 'two_keys',
  interpreter: 'two_keys',
} as const satisfies Record<MeetingRole, AdmissionRule>;

/**
 * What actually lets a person in, in this meeting: the role's rule, except that `two_keys`
 * becomes `no_centre_person` when the meeting has no centre person (the facilitator's admission
 * suffices, and the UI must say so).
 */
export type AdmissionBasis = AdmissionRule | 'no_centre_person';

/** Where a lobby participant's admission stands; what the facilitator's lobby view shows. */
export interface AdmissionStatus {
  readonly basis: AdmissionBasis;
  readonly needsFacilitator: boolean;
  readonly facilitatorAgreed: boolean;
  readonly needsCentre: boolean;
  /** The centre person consented to the person (live or pre-approval). */
  readonly centreAgreed: boolean;
  /** Declared companions the centre person has not yet agreed to. */
  readonly pendingCompanions: readonly string[];
  /** Every needed key is turned: the next step admits them. */
  readonly ready: boolean;
}

/** Whether the meeting has a centre person; without one the UI says the facilitator decides alone. */
export function hasCentrePerson(state: MeetingState): boolean {
  return centrePerson(state) !== undefined;
}

/**
 * Which rule applies to this participant in this meeting: the role's rule, downgraded to
 * `no_centre_person` for two-key roles when nobody is at the centre.
 */
export function admissionBasis(state: MeetingState, participant: Participant): AdmissionBasis {
  const rule = ADMISSION_RULE[participant.role];
  return rule === 'two_keys' && !hasCentrePerson(state) ? 'no_centre_person' : rule;
}

/** Companions declared by this participant that still await the centre person's agreement. */
export function pendingCompanions(participant: Participant): readonly string[] {
  return participant.companions.filter((c) => !c.agreed).map((c) => c.name);
}

/**
 * The keys needed and turned for a participant. Under `two_keys` the centre person consents to
 * the person and to everyone declared with them, so pending companions hold the door.
 */
export function admissionStatus(state: MeetingState, participant: Participant): AdmissionStatus {
  const basis = admissionBasis(state, participant);
  // Someone asked to leave is in the lobby without knocking: only their own knock (core team)
  // or a facilitator brings them back, never a side effect such as a companion's consent.
  const needsFacilitator = basis !== 'core_team' || participant.state === 'stepped_out';
  const needsCentre = basis === 'two_keys';
  const facilitatorAgreed = participant.facilitatorKey !== null;
  const centreAgreed = participant.consent !== null;
  const pending = pendingCompanions(participant);
  const centreSatisfied = !needsCentre || (centreAgreed && pending.length === 0);
  return {
    basis,
    needsFacilitator,
    facilitatorAgreed,
    needsCentre,
    centreAgreed,
    pendingCompanions: pending,
    ready: (!needsFacilitator || facilitatorAgreed) && centreSatisfied,
  };
}
