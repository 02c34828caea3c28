import type { LiveSnapshot, LobbyEntry, RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { applyServerMessage, type LiveState } from './live-state.ts';
import { roomView } from './room-view.ts';

const lee: RosterEntry = {
  participantId: 'lee',
  displayName: 'Dr Lee',
  role: 'facilitator',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};
const sam: RosterEntry = {
  participantId: 'sam',
  displayName: 'Sam',
  role: 'centre',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};
const dad: RosterEntry = {
  participantId: 'dad',
  displayName: 'Dad',
  role: 'network',
  language: null,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
};

function liveAs(me: RosterEntry, change: Partial<LiveState> = {}): LiveState {
  const snapshot: LiveSnapshot = {
    type: 'snapshot',
    seq: 1,
    meeting: { id: 'm1', mode: 'dialogue', state: 'live', encrypted: true },
    me,
    participants: [lee, sam, dad],
    media: null,
  };
  const outcome = applyServerMessage(null, snapshot);
  if (outcome.kind !== 'applied') throw new Error('no state');
  return { ...outcome.state, ...change };
}

const knock: LobbyEntry = {
  participantId: 'aunt',
  displayName: 'Aunt',
  role: 'network',
  state: 'waiting',
  companions: [],
  basis: 'two_keys',
  needsFacilitator: true,
  facilitatorAgreed: true,
  needsCentre: true,
  centreAgreed: false,
  pendingCompanions: [],
};

describe('roomView', () => {
  it('gives the facilitator the door, the mode switch and the end', () => {
    const view = roomView(liveAs(lee, { lobby: { hasCentrePerson: true, waiting: [knock] } }));
    expect(view).toMatchObject({
      canSwitchMode: true,
      canEnd: true,
      admitsPeople: true,
      mayAskToLeave: true,
      consentQuestion: null,
      microphoneAllowed: true,
      canRecord: true,
      seesVoices: true,
    });
  });

  it('notes gently when fewer than two of the team are here, for those who lead only', () => {
    expect(roomView(liveAs(lee)).fewTeamNote).toBe(true);
    expect(roomView(liveAs(sam)).fewTeamNote).toBe(false);
    const colleague: RosterEntry = {
      participantId: 'kim',
      displayName: 'Kim',
      role: 'team',
      language: null,
      companions: [],
      mediaIdentity: null,
      connection: 'connected',
      lostAt: null,
    };
    const withKim = liveAs(lee);
    expect(roomView({ ...withKim, others: [...withKim.others, colleague] }).fewTeamNote).toBe(
      false,
    );
  });

  it('lets only facilitators write the record and see voices', () => {
    expect(roomView(liveAs(dad))).toMatchObject({ canRecord: false, seesVoices: false });
    expect(roomView(liveAs(sam))).toMatchObject({ canRecord: false, seesVoices: false });
  });

  it('asks the centre person about the person waiting for their agreement', () => {
    const view = roomView(liveAs(sam, { lobby: { hasCentrePerson: true, waiting: [knock] } }));
    expect(view.consentQuestion?.participantId).toBe('aunt');
    expect(view.admitsPeople).toBe(false);
    expect(view.canSwitchMode).toBe(false);
  });

  it('during a reflection: the network may wish to respond with the microphone paused', () => {
    const view = roomView(liveAs(dad, { mode: 'reflecting', wishes: ['dad'] }));
    expect(view).toMatchObject({
      reflecting: true,
      reflectingNames: ['Dr Lee'],
      microphoneAllowed: false,
      microphoneBlock: 'paused',
      mayWish: true,
      wished: true,
      wishes: null,
    });
  });

  it('shows facilitators the wishes in order, and everyone the order afterwards', () => {
    const during = roomView(liveAs(lee, { mode: 'reflecting', wishes: ['dad', 'sam'] }));
    expect(during.wishes?.map((p) => p.displayName)).toEqual(['Dad', 'Sam']);
    expect(during.mayWish).toBe(false);
    const after = roomView(liveAs(dad, { respondOrder: ['sam', 'dad'] }));
    expect(after.respondOrder.map((p) => p.displayName)).toEqual(['Sam', 'Dad']);
    expect(after.microphoneAllowed).toBe(true);
    expect(after.microphoneBlock).toBe('none');
  });
});
