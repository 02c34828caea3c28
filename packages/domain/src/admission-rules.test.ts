import { describe, expect, it } from 'vitest';
import {
  ADMISSION_RULE,
  admissionBasis,
  admissionStatus,
  hasCentrePerson,
  type AdmissionRule,
} from './admission-rules.ts';
import { initialMeetingState, type MeetingState, type Participant } from './meeting-state.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';

/** Product.md section 4, rule 2, written out. */
const EXPECTED: Record<MeetingRole, AdmissionRule> = {
  facilitator: 'core_team',
  cofacilitator: 'core_team',
  team: 'core_team',
  centre: 'facilitator',
  network: 'two_keys',
  observer: 'two_keys',
  interpreter: 'two_keys',
};

function participant(role: MeetingRole, changes: Partial<Participant> = {}): Participant {
  return {
    id: role,
    role,
    state: 'waiting',
    companions: [],
    admissionNumber: 0,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: null,
    otherDevice: null,
    connection: 'connecting',
    lostAt: null,
    ...changes,
  };
}

const withCentre: MeetingState = {
  ...initialMeetingState(),
  participants: [participant('centre', { state: 'invited' })],
};
const noCentre = initialMeetingState();
const key = { by: 'f', at: 1 };
const live = { kind: 'live', by: 'z', at: 2 } as const;

describe('admission rules', () => {
  it.each(MEETING_ROLES)('%s', (role) => {
    expect(ADMISSION_RULE[role]).toBe(EXPECTED[role]);
  });

  it('downgrade two keys to the facilitator alone when nobody is at the centre', () => {
    expect(hasCentrePerson(noCentre)).toBe(false);
    expect(hasCentrePerson(withCentre)).toBe(true);
    expect(admissionBasis(noCentre, participant('network'))).toBe('no_centre_person');
    expect(admissionBasis(withCentre, participant('network'))).toBe('two_keys');
    expect(admissionBasis(noCentre, participant('team'))).toBe('core_team');
  });
});

describe('admissionStatus', () => {
  it.each([
    ['team', withCentre, {}, true],
    ['team', withCentre, { state: 'stepped_out' }, false],
    ['team', withCentre, { state: 'stepped_out', facilitatorKey: key }, true],
    ['centre', withCentre, {}, false],
    ['centre', withCentre, { facilitatorKey: key }, true],
    ['network', withCentre, { facilitatorKey: key }, false],
    ['network', withCentre, { consent: live }, false],
    ['network', withCentre, { facilitatorKey: key, consent: live }, true],
    [
      'network',
      withCentre,
      { facilitatorKey: key, consent: live, companions: [{ name: 'Mum', agreed: false }] },
      false,
    ],
    [
      'observer',
      withCentre,
      { facilitatorKey: key, consent: live, companions: [{ name: 'Mum', agreed: true }] },
      true,
    ],
    ['interpreter', withCentre, { facilitatorKey: key }, false],
    ['interpreter', withCentre, { facilitatorKey: key, consent: live }, true],
    ['network', noCentre, {}, false],
    ['network', noCentre, { facilitatorKey: key }, true],
    [
      'network',
      noCentre,
      { facilitatorKey: key, companions: [{ name: 'Mum', agreed: false }] },
      true,
    ],
  ] as const)('%s, %#: ready is %s', (role, state, changes, ready) => {
    expect(admissionStatus(state, participant(role, changes)).ready).toBe(ready);
  });

  it('tells the lobby view which keys are needed and turned', () => {
    const p = participant('network', {
      consent: live,
      companions: [
        { name: 'Mum', agreed: true },
        { name: 'Grandad', agreed: false },
      ],
    });
    expect(admissionStatus(withCentre, p)).toEqual({
      basis: 'two_keys',
      needsFacilitator: true,
      facilitatorAgreed: false,
      needsCentre: true,
      centreAgreed: true,
      pendingCompanions: ['Grandad'],
      ready: false,
    });
  });
});
