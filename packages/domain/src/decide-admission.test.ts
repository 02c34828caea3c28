import { describe, expect, it } from 'vitest';
import { admissionStatus } from './admission-rules.ts';
import { decide } from './decide.ts';
import { KNOCK_POLICY } from './knock-policy.ts';
import {
  CAST,
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

const LATER = T0 + 3_600_000;

describe('knocking (join)', () => {
  it('puts core-team staff straight in; the first one starts the meeting', () => {
    const { state, events } = run([...inviteAll(), knock('t'), knock('f')]);
    expect(types(events).slice(6)).toEqual([
      'participant.joined_lobby',
      'meeting.started',
      'participant.admitted',
      'participant.joined_lobby',
      'participant.admitted',
    ]);
    expect(state.status).toBe('live');
    expect(state.startedAt).toBe(T0 + 6000);
    expect(who(state, 'f')).toMatchObject({ state: 'admitted', admissionNumber: 1 });
    expect(events.at(-1)).toMatchObject({ basis: 'core_team', admissionNumber: 1 });
  });

  it('leaves everyone else waiting in the lobby', () => {
    const { state } = run([...inviteAll(), knock('z'), knock('n'), knock('o')]);
    for (const id of ['z', 'n', 'o']) expect(who(state, id).state).toBe('waiting');
    expect(state.status).toBe('scheduled');
  });

  it('refuses someone who is not a participant', () => {
    refused(decide(liveMeeting().state, knock('stranger'), LATER), 'UNKNOWN_PARTICIPANT');
  });

  it('changes nothing for someone already waiting or admitted (a reload)', () => {
    const { state } = run([knock('n')], liveMeeting(), LATER);
    expect(accepted(decide(state, knock('n', ['Mum']), LATER)).events).toEqual([]);
    expect(accepted(decide(state, knock('f'), LATER)).events).toEqual([]);
  });

  it('records declared companions, awaiting the centre person', () => {
    const { state } = run([knock('n', [' Mum ', 'Grandad', 'Mum', ''])], liveMeeting(), LATER);
    expect(who(state, 'n').companions).toEqual([
      { name: 'Mum', agreed: false },
      { name: 'Grandad', agreed: false },
    ]);
  });

  it('refuses an impossible companion list', () => {
    const many = Array.from({ length: 13 }, (_, i) => `Person ${i}`);
    refused(decide(liveMeeting().state, knock('n', many), LATER), 'INVALID_INPUT');
  });

  it('rate-limits knocking again after a decline, doubling the wait', () => {
    let meeting = run(
      [knock('n'), { type: 'decline', actorId: 'f', targetId: 'n' }],
      liveMeeting(),
      LATER,
    );
    const declinedAt = LATER + 1000;
    const firstRetry = declinedAt + KNOCK_POLICY.firstWaitMs;
    expect(meeting.events.at(-1)).toMatchObject({
      type: 'participant.declined',
      retryAt: firstRetry,
    });
    expect(decide(meeting.state, knock('n'), firstRetry - 1)).toEqual({
      ok: false,
      code: 'KNOCK_TOO_SOON',
      retryAt: firstRetry,
    });
    meeting = run(
      [knock('n'), { type: 'decline', actorId: 'f', targetId: 'n' }],
      meeting,
      firstRetry,
    );
    const secondDecline = firstRetry + 1000;
    expect(meeting.events.at(-1)).toMatchObject({
      retryAt: secondDecline + 2 * KNOCK_POLICY.firstWaitMs,
    });
    refused(decide(meeting.state, knock('n'), secondDecline + 60_000), 'KNOCK_TOO_SOON');
    const back = accepted(decide(meeting.state, knock('n'), secondDecline + 120_000));
    expect(who(back.state, 'n')).toMatchObject({ state: 'waiting', declines: 2 });
  });

  it('refuses a revoked link', () => {
    const { state } = run(
      [{ type: 'revoke_link', actorId: 'staff-1', participantId: 'n' }],
      liveMeeting(),
      LATER,
    );
    refused(decide(state, knock('n'), LATER + 10_000), 'LINK_REVOKED');
  });
});

describe('admission: two keys', () => {
  it('admits a network member only when the facilitator admits AND the centre consents', () => {
    const { state, events } = run(
      [knock('n'), { type: 'admit', actorId: 'f', targetId: 'n' }],
      liveMeeting(),
      LATER,
    );
    expect(who(state, 'n').state).toBe('waiting');
    expect(admissionStatus(state, who(state, 'n'))).toMatchObject({
      basis: 'two_keys',
      facilitatorAgreed: true,
      centreAgreed: false,
      ready: false,
    });
    expect(events.at(-1)).toMatchObject({ type: 'admission.approved', by: 'f' });
    const done = accepted(
      decide(state, { type: 'consent', actorId: 'z', targetId: 'n' }, LATER + 5000),
    );
    expect(types(done.events)).toEqual(['consent.given', 'participant.admitted']);
    expect(done.events[1]).toMatchObject({ admissionNumber: 1, basis: 'two_keys' });
    expect(who(done.state, 'n').consent).toEqual({ kind: 'live', by: 'z', at: LATER + 5000 });
  });

  it('works in either order: consent first, then the facilitator', () => {
    const { state, events } = run(
      [
        knock('o'),
        { type: 'consent', actorId: 'z', targetId: 'o' },
        { type: 'admit', actorId: 'f', targetId: 'o' },
      ],
      liveMeeting(),
      LATER,
    );
    expect(who(state, 'o').state).toBe('admitted');
    expect(types(events).slice(-2)).toEqual(['admission.approved', 'participant.admitted']);
  });

  it('admits at once on a recorded pre-approval', () => {
    const { state } = run(
      [
        { type: 'record_pre_approval', actorId: 'staff-1', participantId: 'n' },
        knock('n'),
        { type: 'admit', actorId: 'c', targetId: 'n' },
      ],
      run([knock('c')], liveMeeting(), LATER),
      LATER + 10_000,
    );
    expect(who(state, 'n')).toMatchObject({
      state: 'admitted',
      consent: { kind: 'pre_approval', by: 'staff-1', at: LATER + 10_000 },
    });
  });

  it('admits the centre person by a facilitator alone', () => {
    const { events } = liveMeeting();
    expect(events.at(-1)).toMatchObject({
      type: 'participant.admitted',
      participantId: 'z',
      basis: 'facilitator',
    });
  });

  it('without a centre person, the facilitator alone admits, and says so', () => {
    const { f, n } = CAST;
    const { state, events } = run([
      ...inviteAll({ f, n }),
      knock('f'),
      knock('n'),
      { type: 'admit', actorId: 'f', targetId: 'n' },
    ]);
    expect(who(state, 'n').state).toBe('admitted');
    expect(events.at(-1)).toMatchObject({
      type: 'participant.admitted',
      basis: 'no_centre_person',
    });
  });

  it('repeating an admit changes nothing', () => {
    const { state } = run(
      [knock('n'), { type: 'admit', actorId: 'f', targetId: 'n' }],
      liveMeeting(),
      LATER,
    );
    const again = accepted(
      decide(state, { type: 'admit', actorId: 'f', targetId: 'n' }, LATER + 9),
    );
    expect(again.events).toEqual([]);
    expect(again.state).toBe(state);
  });

  it('holds the door while a companion awaits consent', () => {
    const { state } = run(
      [
        { type: 'record_pre_approval', actorId: 'staff-1', participantId: 'n' },
        knock('n', ['Grandad']),
        { type: 'admit', actorId: 'f', targetId: 'n' },
      ],
      liveMeeting(),
      LATER,
    );
    expect(admissionStatus(state, who(state, 'n'))).toMatchObject({
      pendingCompanions: ['Grandad'],
      ready: false,
    });
    const consented = accepted(
      decide(state, { type: 'consent', actorId: 'z', targetId: 'n' }, LATER + 9000),
    );
    expect(consented.events[0]).toMatchObject({ type: 'consent.given', companions: ['Grandad'] });
    expect(who(consented.state, 'n')).toMatchObject({
      state: 'admitted',
      companions: [{ name: 'Grandad', agreed: true }],
    });
  });
});

describe('consent', () => {
  it('changes nothing when nothing awaits the centre person', () => {
    const { state } = fullRoom();
    const again = accepted(decide(state, { type: 'consent', actorId: 'z', targetId: 'n' }, LATER));
    expect(again.events).toEqual([]);
    const staff = accepted(decide(state, { type: 'consent', actorId: 'z', targetId: 't' }, LATER));
    expect(staff.events).toEqual([]);
  });

  it("covers a core-team member's companions without gating their admission", () => {
    const { state } = run([knock('t', ['Student nurse'])], liveMeeting(), LATER);
    expect(who(state, 't').state).toBe('admitted');
    expect(admissionStatus(state, who(state, 't')).pendingCompanions).toEqual(['Student nurse']);
    const agreed = accepted(
      decide(state, { type: 'consent', actorId: 'z', targetId: 't' }, LATER + 5),
    );
    expect(types(agreed.events)).toEqual(['consent.given']);
    expect(who(agreed.state, 't').companions).toEqual([{ name: 'Student nurse', agreed: true }]);
  });

  it('can be given ahead of the knock', () => {
    const { state } = run([{ type: 'consent', actorId: 'z', targetId: 'n' }], liveMeeting(), LATER);
    expect(who(state, 'n')).toMatchObject({ state: 'invited', consent: { kind: 'live' } });
  });
});
