import type { LobbyEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { consentQuestions, doorActions, mayAskToLeave } from './door-actions.ts';

const dad: LobbyEntry = {
  participantId: 'p3',
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
const sam: LobbyEntry = {
  ...dad,
  participantId: 'p2',
  displayName: 'Sam',
  role: 'centre',
  basis: 'facilitator',
  needsCentre: false,
};

describe('doorActions', () => {
  it.each([
    ['facilitator', dad, { admit: true, decline: true, consent: false }],
    [
      'facilitator',
      { ...dad, facilitatorAgreed: true },
      { admit: false, decline: true, consent: false },
    ],
    ['facilitator', sam, { admit: true, decline: false, consent: false }],
    ['cofacilitator', dad, { admit: true, decline: true, consent: false }],
    ['centre', dad, { admit: false, decline: true, consent: true }],
    ['centre', { ...dad, centreAgreed: true }, { admit: false, decline: true, consent: false }],
    [
      'centre',
      { ...dad, centreAgreed: true, pendingCompanions: ['Mum'] } as LobbyEntry,
      { admit: false, decline: true, consent: true },
    ],
    ['team', dad, { admit: false, decline: false, consent: false }],
    ['network', dad, { admit: false, decline: false, consent: false }],
  ] as const)('%s for %j', (viewer, entry: LobbyEntry, expected) => {
    expect(doorActions(viewer, entry)).toEqual(expected);
  });
});

describe('consentQuestions', () => {
  const lobby = {
    hasCentrePerson: true,
    waiting: [sam, dad, { ...dad, participantId: 'p4', centreAgreed: true }],
  };
  it('asks the centre person only about those awaiting their agreement', () => {
    expect(consentQuestions('centre', lobby).map((e) => e.participantId)).toEqual(['p3']);
  });
  it('asks nobody else', () => {
    expect(consentQuestions('facilitator', lobby)).toEqual([]);
    expect(consentQuestions('centre', null)).toEqual([]);
  });
});

describe('mayAskToLeave', () => {
  it.each([
    ['facilitator', 'network', true],
    ['facilitator', 'centre', false],
    ['centre', 'network', true],
    ['centre', 'facilitator', false],
    ['network', 'network', false],
    ['team', 'network', false],
  ] as const)('%s → %s: %s', (viewer, target, expected) => {
    expect(mayAskToLeave(viewer, target)).toBe(expected);
  });
});
