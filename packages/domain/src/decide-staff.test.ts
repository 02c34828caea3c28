import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { MeetingRole } from './roles.ts';
import {
  CAST,
  STAFF,
  T0,
  accepted,
  fullRoom,
  inviteAll,
  knock,
  liveMeeting,
  refused,
  run,
  types,
  who,
} from './testing/meeting-fixture.ts';
import { centrePerson, initialMeetingState } from './meeting-state.ts';

const LATER = T0 + 3_600_000;

describe('open_meeting', () => {
  it('starts a meeting that has not started, once', () => {
    const opened = accepted(
      decide(initialMeetingState(), { type: 'open_meeting', actorId: STAFF }, T0),
    );
    expect(opened.events).toEqual([{ type: 'meeting.started', at: T0, by: STAFF }]);
    expect(opened.state.status).toBe('live');
    const again = accepted(decide(opened.state, { type: 'open_meeting', actorId: STAFF }, LATER));
    expect(again.events).toEqual([]);
  });

  it('a meeting opened before anyone is in does not start again on the first entry', () => {
    const opened = run([{ type: 'open_meeting', actorId: STAFF }]);
    expect(opened.state.status).toBe('live');
    const entered = run([...inviteAll(), knock('f')], opened);
    expect(types(entered.events).filter((t) => t === 'meeting.started')).toHaveLength(1);
    expect(who(entered.state, 'f').state).toBe('admitted');
  });

  it('an ended meeting cannot be opened again', () => {
    const { state } = run([{ type: 'end', actorId: 'f' }], liveMeeting(), LATER);
    refused(decide(state, { type: 'open_meeting', actorId: STAFF }, LATER), 'MEETING_ENDED');
  });
});

describe('invite', () => {
  it('adds a participant with a role, in invitation order', () => {
    const { state, events } = run(inviteAll());
    expect(state.participants.map((p) => [p.id, p.role, p.state])).toEqual(
      Object.entries(CAST).map(([id, role]) => [id, role, 'invited']),
    );
    expect(events[0]).toEqual({
      type: 'participant.invited',
      at: T0,
      participantId: 'f',
      role: 'facilitator',
      by: STAFF,
    });
  });

  it('refuses a second person at the centre, a duplicate id and bad input', () => {
    const { state } = run(inviteAll());
    const invite = (participantId: string, role: MeetingRole) =>
      decide(state, { type: 'invite', actorId: STAFF, participantId, role }, LATER);
    refused(invite('z2', 'centre'), 'CENTRE_ALREADY_SET');
    refused(invite('n', 'network'), 'ALREADY_INVITED');
    refused(invite('', 'network'), 'INVALID_INPUT');
    refused(invite('x', 'patient' as MeetingRole), 'INVALID_INPUT');
    expect(accepted(invite('n2', 'network')).state.participants).toHaveLength(7);
  });
});

describe('a new link for the centre person after a revocation', () => {
  const revoke = { type: 'revoke_link', actorId: STAFF, participantId: 'z' } as const;
  const reissue = { type: 'invite', actorId: STAFF, participantId: 'z2', role: 'centre' } as const;

  it.each([
    ['never knocked', [revoke], true],
    ['waiting when revoked (the lobby drops them)', [knock('z'), revoke], true],
    ['not revoked', [], false],
  ] as const)('%s: a new centre link is %s', (_name, commands, allowed) => {
    const { state } = run([...inviteAll(), ...commands]);
    const decision = decide(state, reissue, LATER);
    if (allowed) {
      const next = accepted(decision).state;
      expect(centrePerson(next)?.id).toBe('z2');
    } else {
      refused(decision, 'CENTRE_ALREADY_SET');
      expect(centrePerson(state)?.id).toBe('z');
    }
  });

  it('an admitted centre person keeps the place until asked to leave', () => {
    const inRoom = fullRoom();
    expect(who(inRoom.state, 'z').state).toBe('admitted');
    const { state } = run([revoke], inRoom);
    refused(decide(state, reissue, LATER), 'CENTRE_ALREADY_SET');
    expect(centrePerson(state)?.id).toBe('z');
  });
});

describe('record_pre_approval', () => {
  const preApprove = (participantId: string) =>
    ({ type: 'record_pre_approval', actorId: STAFF, participantId }) as const;

  it('records who recorded it and when', () => {
    const { state, events } = run([preApprove('o')], liveMeeting(), LATER);
    expect(events.at(-1)).toEqual({
      type: 'consent.given',
      at: LATER,
      participantId: 'o',
      by: STAFF,
      kind: 'pre_approval',
      companions: [],
    });
    expect(who(state, 'o').state).toBe('invited');
  });

  it('is refused for people who need no consent, or when nobody is at the centre', () => {
    const { state } = liveMeeting();
    refused(decide(state, preApprove('t'), LATER), 'CONSENT_NOT_NEEDED');
    refused(decide(state, preApprove('z'), LATER), 'CONSENT_NOT_NEEDED');
    refused(decide(state, preApprove('ghost'), LATER), 'TARGET_NOT_FOUND');
    const { f, n } = CAST;
    const noCentre = run(inviteAll({ f, n })).state;
    refused(decide(noCentre, preApprove('n'), LATER), 'CONSENT_NOT_NEEDED');
  });

  it('changes nothing when consent is already there', () => {
    const { state } = run([preApprove('n')], liveMeeting(), LATER);
    expect(accepted(decide(state, preApprove('n'), LATER + 5)).events).toEqual([]);
  });

  it('admits someone already waiting with the facilitator’s key', () => {
    const { state, events } = run(
      [knock('n'), { type: 'admit', actorId: 'f', targetId: 'n' }, preApprove('n')],
      liveMeeting(),
      LATER,
    );
    expect(types(events).slice(-2)).toEqual(['consent.given', 'participant.admitted']);
    expect(who(state, 'n').state).toBe('admitted');
  });
});

describe('revoke_link', () => {
  const revoke = (participantId: string) =>
    ({ type: 'revoke_link', actorId: STAFF, participantId }) as const;

  it('removes a holder waiting in the lobby at once', () => {
    const { state, events } = run([knock('n'), revoke('n')], liveMeeting(), LATER);
    expect(events.slice(-2)).toEqual([
      { type: 'link.revoked', at: LATER + 1000, participantId: 'n', by: STAFF },
      { type: 'participant.left', at: LATER + 1000, participantId: 'n', reason: 'link_revoked' },
    ]);
    expect(who(state, 'n')).toMatchObject({ state: 'left', linkRevoked: true });
  });

  it('leaves an admitted holder in the room', () => {
    const { state, events } = run([revoke('n')], fullRoom(), LATER);
    expect(types(events).at(-1)).toBe('link.revoked');
    expect(who(state, 'n')).toMatchObject({ state: 'admitted', linkRevoked: true });
  });

  it('changes nothing the second time, and needs a real participant', () => {
    const { state } = run([revoke('o')], liveMeeting(), LATER);
    expect(accepted(decide(state, revoke('o'), LATER + 5)).events).toEqual([]);
    refused(decide(initialMeetingState(), revoke('o'), LATER), 'TARGET_NOT_FOUND');
  });
});
