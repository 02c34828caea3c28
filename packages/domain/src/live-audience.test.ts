import { describe, expect, it } from 'vitest';
import { isEventVisibleTo, maySeeLobby, maySeeRoster } from './live-audience.ts';
import type { MeetingEvent } from './meeting-events.ts';
import type { Participant } from './meeting-state.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';

const AT = 1_767_225_600_000;

function person(id: string, role: MeetingRole, state: ParticipantState): Participant {
  return {
    id,
    role,
    state,
    companions: [],
    admissionNumber: 1,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: null,
    otherDevice: null,
    connection: 'connecting',
    lostAt: null,
  };
}

const mine: MeetingEvent = {
  type: 'participant.admitted',
  at: AT,
  participantId: 'me',
  admissionNumber: 1,
  basis: 'two_keys',
};
const others: MeetingEvent = {
  type: 'participant.joined_lobby',
  at: AT,
  participantId: 'dad',
  companions: [],
};
const mode: MeetingEvent = {
  type: 'mode.changed',
  at: AT,
  mode: 'reflecting',
  by: 'f',
  respondOrder: [],
};
const record: MeetingEvent = {
  type: 'record.added',
  at: AT,
  entryId: 'e',
  kind: 'decision',
  text: 'x',
  by: 'f',
};
const ended: MeetingEvent = { type: 'meeting.ended', at: AT, by: 'f' };
const started: MeetingEvent = { type: 'meeting.started', at: AT, by: 'f' };

describe('live audience', () => {
  it.each([
    // viewer state, event, visible
    ['admitted', others, true],
    ['admitted', mode, true],
    ['admitted', record, true],
    ['waiting', mine, true],
    ['waiting', others, false],
    ['waiting', mode, false],
    ['waiting', record, false],
    ['waiting', ended, true],
    ['waiting', started, true],
    ['stepped_out', others, false],
    ['stepped_out', mine, true],
    ['declined', mine, true],
    ['declined', others, false],
    ['left', mode, false],
    ['invited', ended, true],
  ] as const)('someone %s sees %o: %s', (state, event, visible) => {
    expect(isEventVisibleTo(person('me', 'network', state), event)).toBe(visible);
  });

  it('shows the roster only to people in the room', () => {
    for (const state of PARTICIPANT_STATES) {
      expect(maySeeRoster(person('me', 'network', state))).toBe(state === 'admitted');
    }
  });

  it.each([
    ['facilitator', true],
    ['cofacilitator', true],
    ['team', false],
    ['centre', true],
    ['network', false],
    ['observer', false],
  ] as const)('shows the lobby to an admitted %s: %s', (role, sees) => {
    expect(maySeeLobby(person('me', role, 'admitted'))).toBe(sees);
  });

  it('never shows the lobby to someone who is not in the room', () => {
    for (const role of MEETING_ROLES) {
      for (const state of PARTICIPANT_STATES.filter((s) => s !== 'admitted')) {
        expect(maySeeLobby(person('me', role, state))).toBe(false);
      }
    }
  });
});
