import type { LobbyEntry, RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { centreDeclined, doorChimes, waitingForViewer, waitsForViewer } from './door-news.ts';
import type { LiveState, LobbyView } from './live-state.ts';

const dad: LobbyEntry = {
  participantId: 'dad',
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
const lobby = (...waiting: LobbyEntry[]): LobbyView => ({ hasCentrePerson: true, waiting });

describe('waitsForViewer', () => {
  it.each([
    ['a facilitator, for someone not yet let in', 'facilitator', {}, true],
    ['a co-facilitator, likewise', 'cofacilitator', {}, true],
    [
      'a facilitator, once they have let them in',
      'facilitator',
      { facilitatorAgreed: true },
      false,
    ],
    ['the centre person, before agreeing', 'centre', {}, true],
    ['the centre person, after agreeing', 'centre', { centreAgreed: true }, false],
    ['a team member, who holds no key', 'team', {}, false],
    ['a facilitator, for someone declined', 'facilitator', { state: 'declined' }, false],
  ] as const)('%s → %s', (_name, viewer, change, expected) => {
    expect(waitsForViewer(viewer, { ...dad, ...change })).toBe(expected);
  });

  it('counts who waits for the viewer', () => {
    const mia = { ...dad, participantId: 'mia', facilitatorAgreed: true };
    expect(waitingForViewer('facilitator', lobby(dad, mia))).toBe(1);
    expect(waitingForViewer('centre', lobby(dad, mia))).toBe(2);
    expect(waitingForViewer('facilitator', null)).toBe(0);
  });
});

describe('doorChimes', () => {
  const agreed = { ...dad, centreAgreed: true };
  it.each([
    ['a knock', 'facilitator', lobby(), lobby(dad), true],
    ['the first view of a waiting room with someone in it', 'facilitator', null, lobby(dad), true],
    ['nothing new', 'facilitator', lobby(dad), lobby(dad), false],
    ['the centre person says yes', 'facilitator', lobby(dad), lobby(agreed), true],
    ['a knock, to someone without a key', 'team', lobby(), lobby(dad), false],
    ['someone leaving', 'facilitator', lobby(dad), lobby(), false],
    ['no view', 'facilitator', lobby(dad), null, false],
    ['a knock, for the centre person', 'centre', lobby(), lobby(dad), true],
    ['their own yes, for the centre person', 'centre', lobby(dad), lobby(agreed), false],
  ] as const)('%s → %s', (_name, viewer, before, after, expected) => {
    expect(doorChimes(viewer, before, after)).toBe(expected);
  });
});

describe('centreDeclined', () => {
  const person = (participantId: string, displayName: string, role: RosterEntry['role']) => ({
    participantId,
    displayName,
    role,
    companions: [],
  });
  const before = {
    me: person('lee', 'Dr Lee', 'facilitator'),
    others: [person('sam', 'Sam', 'centre'), person('jussi', 'Jussi', 'cofacilitator')],
    lobby: lobby(dad),
  } as unknown as LiveState;
  const declined = (by: string) =>
    ({ type: 'participant.declined', participantId: 'dad', by, retryAt: 0 }) as const;

  it.each([
    [
      'the centre person says no',
      'facilitator',
      declined('sam'),
      { seq: 9, name: 'Dad', centre: 'Sam' },
    ],
    ['a co-facilitator says no', 'facilitator', declined('jussi'), null],
    ['seen by a team member', 'team', declined('sam'), null],
    [
      'someone who was not waiting',
      'facilitator',
      { ...declined('sam'), participantId: 'x' },
      null,
    ],
    [
      'another event',
      'facilitator',
      { type: 'participant.left', participantId: 'dad', reason: 'left' },
      null,
    ],
  ] as const)('%s → %j', (_name, viewer, event, expected) => {
    expect(centreDeclined(viewer, before, event, 9)).toEqual(expected);
  });
});
