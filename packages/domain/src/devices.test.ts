import { describe, expect, it } from 'vitest';
import type { MeetingCommand } from './commands.ts';
import { decide } from './decide.ts';
import {
  deviceStanding,
  isEventVisibleFromDevice,
  linkOpening,
  seenFromDevice,
  waitingOtherDevice,
  type DeviceStanding,
  type LinkOpening,
} from './devices.ts';
import type { MeetingEvent } from './meeting-events.ts';
import type { OtherDeviceKnock, Participant } from './meeting-state.ts';
import { isIdentityCurrent, mediaIdentity } from './media-identity.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';
import { reduce } from './reduce.ts';
import {
  T0,
  accepted,
  inviteAll,
  knock,
  liveMeeting,
  refused,
  run,
  types,
  who,
  type Run,
} from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;

const knockOn = (id: string, device: string, companions: readonly string[] = []) =>
  ({ type: 'join', actorId: id, companions, device }) as const satisfies MeetingCommand;
const from = <C extends MeetingCommand>(command: C, device: string): C => ({ ...command, device });
const admit = (targetId: string, actorId = 'f') =>
  ({ type: 'admit', actorId, targetId }) as const satisfies MeetingCommand;
const consent = (targetId: string) =>
  ({ type: 'consent', actorId: 'z', targetId }) as const satisfies MeetingCommand;
const decline = (targetId: string, actorId = 'f') =>
  ({ type: 'decline', actorId, targetId }) as const satisfies MeetingCommand;

/** Live meeting; the network member `n` is in the room on device A (both keys), with Mum. */
function nOnA(): Run {
  return run([knockOn('n', 'A', ['Mum']), admit('n'), consent('n')], liveMeeting(), LATER);
}

/** …and the same link opened on device B, knocking beside the seat. */
function bKnocks(companions: readonly string[] = []): Run {
  return run([knockOn('n', 'B', companions)], nOnA(), LATER + 60_000);
}

const AT = LATER + 120_000;

function person(state: ParticipantState, otherDevice: OtherDeviceKnock | null = null): Participant {
  return {
    id: 'p',
    role: 'network',
    state,
    companions: [],
    admissionNumber: 1,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: 'A',
    otherDevice,
    connection: 'connecting',
    lostAt: null,
  };
}

const knockOnB = (state: OtherDeviceKnock['state']): OtherDeviceKnock => ({
  device: 'B',
  state,
  companions: [],
  facilitatorKey: null,
  consent: null,
  at: T0,
});

describe('the device rule: does this session hold the place, must it knock', () => {
  // Rows: where the person's place is (held by device A). Columns: the device opening the link.
  const TABLE: Record<ParticipantState, { A: LinkOpening; other: LinkOpening }> = {
    invited: { A: 'knock', other: 'knock_from_another_device' },
    waiting: { A: 'stay', other: 'knock_from_another_device' },
    admitted: { A: 'stay', other: 'knock_beside_seat' },
    stepped_out: { A: 'knock', other: 'knock_from_another_device' },
    declined: { A: 'knock', other: 'knock_from_another_device' },
    left: { A: 'knock', other: 'knock_from_another_device' },
  };

  it.each(PARTICIPANT_STATES.map((s) => [s, TABLE[s]] as const))(
    'place %s: %o',
    (state, expected) => {
      const p = person(state);
      expect(deviceStanding(p, 'A')).toBe<DeviceStanding>('holder');
      expect(deviceStanding(p, 'C')).toBe<DeviceStanding>('moved');
      expect(linkOpening(p, 'A')).toBe(expected.A);
      expect(linkOpening(p, 'C')).toBe(expected.other);
    },
  );

  it.each([
    ['waiting', 'admitted', 'stay'],
    ['declined', 'admitted', 'knock_beside_seat'],
    ['left', 'admitted', 'knock_beside_seat'],
    ['declined', 'left', 'knock_from_another_device'],
  ] as const)('a device whose knock is %s, the seat %s: %s', (knockState, seat, expected) => {
    const p = person(seat, knockOnB(knockState));
    expect(deviceStanding(p, 'B')).toBe<DeviceStanding>('other_device');
    expect(linkOpening(p, 'B')).toBe(expected);
  });

  it('staff sessions and places never knocked from a guest session hold the place', () => {
    expect(deviceStanding(person('admitted'), undefined)).toBe('holder');
    expect(deviceStanding({ ...person('invited'), device: null }, 'Z')).toBe('holder');
    expect(linkOpening({ ...person('invited'), device: null }, 'Z')).toBe('knock');
  });
});

describe('a new device knocks beside the seat', () => {
  it('is a knock from another device; the seat stays where it is', () => {
    const { state, events } = bKnocks(['Eve']);
    expect(events.at(-1)).toMatchObject({
      type: 'device.knocked',
      participantId: 'n',
      device: 'B',
      companions: [{ name: 'Eve', agreed: false }],
    });
    const n = who(state, 'n');
    expect(n).toMatchObject({ state: 'admitted', admissionNumber: 1, device: 'A' });
    expect(n.companions).toEqual([{ name: 'Mum', agreed: true }]);
    expect(waitingOtherDevice(n)).toMatchObject({ state: 'waiting', device: 'B', consent: null });
    expect(isIdentityCurrent(state, mediaIdentity('n', 1))).toBe(true);
  });

  it('does not carry over what was agreed for the first device', () => {
    const { state } = bKnocks(['Mum']);
    expect(who(state, 'n').otherDevice?.companions).toEqual([{ name: 'Mum', agreed: false }]);
  });

  it('is not let in by the facilitator alone: the centre person must consent again', () => {
    const approved = run([admit('n')], bKnocks(), AT);
    expect(approved.events.at(-1)).toMatchObject({
      type: 'admission.approved',
      otherDevice: true,
    });
    expect(who(approved.state, 'n')).toMatchObject({ admissionNumber: 1, device: 'A' });
    // A repeated "let them in" changes nothing.
    expect(accepted(decide(approved.state, admit('n'), AT)).events).toEqual([]);

    const { state, events } = run([consent('n')], approved, AT + 1000);
    expect(types(events.slice(-2))).toEqual(['consent.given', 'participant.admitted']);
    expect(events.at(-1)).toMatchObject({
      admissionNumber: 2,
      basis: 'two_keys',
      otherDevice: true,
    });
    const n = who(state, 'n');
    expect(n).toMatchObject({ state: 'admitted', admissionNumber: 2, device: 'B' });
    expect(n.otherDevice).toBeNull();
    expect(deviceStanding(n, 'A')).toBe('moved');
    expect(isIdentityCurrent(state, mediaIdentity('n', 1))).toBe(false);
    expect(isIdentityCurrent(state, mediaIdentity('n', 2))).toBe(true);
  });

  it('is let in whichever key turns first, with the new device’s companions', () => {
    const { state, events } = run([consent('n'), admit('n')], bKnocks(['Eve']), AT);
    expect(events.at(-3)).toMatchObject({ type: 'consent.given', companions: ['Eve'] });
    expect(events.at(-1)).toMatchObject({ type: 'participant.admitted', admissionNumber: 2 });
    expect(who(state, 'n').companions).toEqual([{ name: 'Eve', agreed: true }]);
  });

  it('keeps the first device in the room, untouched, when declined', () => {
    for (const by of ['f', 'z']) {
      const { state, events } = run([decline('n', by)], bKnocks(), AT);
      expect(types(events.slice(-1))).toEqual(['participant.declined']);
      expect(events.at(-1)).toMatchObject({ otherDevice: true });
      const n = who(state, 'n');
      expect(n).toMatchObject({ state: 'admitted', admissionNumber: 1, device: 'A', declines: 1 });
      expect(n.consent).not.toBeNull();
      expect(n.otherDevice?.state).toBe('declined');
      // The turned-away device waits like anyone declined.
      refused(decide(state, knockOn('n', 'B'), AT + 1000), 'KNOCK_TOO_SOON');
      refused(decide(state, knockOn('n', 'C'), AT + 1000), 'KNOCK_TOO_SOON');
      const again = run([knockOn('n', 'B')], { state, events }, AT + 3_600_000);
      expect(who(again.state, 'n').otherDevice?.state).toBe('waiting');
    }
  });

  it('changes nothing on a reload of either device', () => {
    const { state } = bKnocks();
    expect(accepted(decide(state, knockOn('n', 'A'), AT)).events).toEqual([]);
    expect(accepted(decide(state, knockOn('n', 'B'), AT)).events).toEqual([]);
  });

  it('is replaced by a third device; the second then counts for nothing', () => {
    const approved = run([admit('n')], bKnocks(), AT);
    const { state } = run([knockOn('n', 'C')], approved, AT + 1000);
    const n = who(state, 'n');
    expect(n.otherDevice).toMatchObject({ device: 'C', facilitatorKey: null });
    expect(deviceStanding(n, 'B')).toBe('moved');
  });

  it('lets the centre person’s new device in with a facilitator alone', () => {
    const { state, events } = run([
      ...inviteAll(),
      knock('f'),
      knockOn('z', 'A'),
      admit('z'),
      knockOn('z', 'B'),
      admit('z'),
    ]);
    expect(who(state, 'z')).toMatchObject({ device: 'B', admissionNumber: 2 });
    expect(events.at(-1)).toMatchObject({ basis: 'facilitator', otherDevice: true });
  });

  it('lets core-team staff on a personal link move at once (their existing rule)', () => {
    const { state, events } = run([knockOn('t', 'A'), knockOn('t', 'B')], liveMeeting(), LATER);
    expect(types(events.slice(-2))).toEqual(['device.knocked', 'participant.admitted']);
    expect(who(state, 't')).toMatchObject({ device: 'B', admissionNumber: 2 });
  });

  it('can be withdrawn from the new device; the seat stays', () => {
    const { state, events } = run([from({ type: 'leave', actorId: 'n' }, 'B')], bKnocks(), AT);
    expect(events.at(-1)).toMatchObject({ type: 'participant.left', otherDevice: true });
    expect(who(state, 'n')).toMatchObject({ state: 'admitted', device: 'A' });
    expect(who(state, 'n').otherDevice?.state).toBe('left');
    expect(accepted(decide(state, from({ type: 'leave', actorId: 'n' }, 'B'), AT)).events).toEqual(
      [],
    );
  });

  it('lets only the device holding the seat act', () => {
    const { state } = run([admit('n'), consent('n')], bKnocks(), AT);
    refused(
      decide(state, from({ type: 'raise_hand', actorId: 'n' }, 'A'), AT),
      'MOVED_TO_ANOTHER_DEVICE',
    );
    refused(
      decide(state, from({ type: 'leave', actorId: 'n' }, 'A'), AT),
      'MOVED_TO_ANOTHER_DEVICE',
    );
    const knocking = bKnocks().state;
    refused(
      decide(
        knocking,
        from({ type: 'update_own_companions', actorId: 'n', companions: [] }, 'B'),
        AT,
      ),
      'NOT_ADMITTED',
    );
    refused(decide(knocking, from(decline('f', 'n'), 'B'), AT), 'NOT_ADMITTED');
  });

  it('becomes the person’s place in the lobby when the first device leaves', () => {
    const approved = run([admit('n')], bKnocks(['Eve']), AT);
    const { state } = run([from({ type: 'leave', actorId: 'n' }, 'A')], approved, AT + 1000);
    const n = who(state, 'n');
    expect(n).toMatchObject({ state: 'waiting', device: 'B', consent: null, otherDevice: null });
    expect(n.facilitatorKey).not.toBeNull();
    const { events } = run([consent('n')], { state, events: [] }, AT + 2000);
    expect(events.at(-1)).toMatchObject({ type: 'participant.admitted', admissionNumber: 2 });
    expect(events.at(-1)).not.toHaveProperty('otherDevice');
  });

  it('stays turned away if the first device leaves after a "not now"', () => {
    const declined = run([decline('n')], bKnocks(), AT);
    const { state } = run([from({ type: 'leave', actorId: 'n' }, 'A')], declined, AT + 1000);
    expect(who(state, 'n')).toMatchObject({ state: 'left', device: 'A' });
    expect(who(state, 'n').otherDevice?.state).toBe('declined');
    expect(waitingOtherDevice(who(state, 'n'))).toBeUndefined();
  });

  it('goes when the person is asked to leave or the meeting ends', () => {
    const removed = run([{ type: 'remove', actorId: 'f', targetId: 'n' }], bKnocks(), AT);
    expect(who(removed.state, 'n')).toMatchObject({ state: 'stepped_out', otherDevice: null });
    const ended = run([{ type: 'end', actorId: 'f' }], bKnocks(), AT);
    expect(who(ended.state, 'n')).toMatchObject({ state: 'left', otherDevice: null });
  });

  it('goes when the link is revoked; the seat stays, as for any admitted holder', () => {
    const revoke = { type: 'revoke_link', actorId: 'staff-1', participantId: 'n' } as const;
    const { state, events } = run([revoke], bKnocks(), AT);
    expect(types(events.slice(-2))).toEqual(['link.revoked', 'participant.left']);
    expect(events.at(-1)).toMatchObject({ reason: 'link_revoked', otherDevice: true });
    expect(who(state, 'n')).toMatchObject({ state: 'admitted', device: 'A' });
    expect(who(state, 'n').otherDevice?.state).toBe('left');
  });
});

describe('a new device after the first has gone (no seat to keep)', () => {
  it('takes the place in the lobby and every key is asked afresh', () => {
    const gone = run([from({ type: 'leave', actorId: 'n' }, 'A')], nOnA(), AT);
    const { state, events } = run([knockOn('n', 'B', ['Mum'])], gone, AT + 1000);
    expect(events.at(-1)).toMatchObject({
      type: 'participant.joined_lobby',
      device: 'B',
      fromAnotherDevice: true,
      companions: [{ name: 'Mum', agreed: false }],
    });
    const n = who(state, 'n');
    expect(n).toMatchObject({ state: 'waiting', device: 'B', consent: null });
    expect(deviceStanding(n, 'A')).toBe('moved');
    const approved = run([admit('n')], { state, events: [] }, AT + 2000);
    expect(who(approved.state, 'n').state).toBe('waiting');
  });

  it('but the same device knocking again keeps the consent given (a dropped phone)', () => {
    const gone = run([from({ type: 'leave', actorId: 'n' }, 'A')], nOnA(), AT);
    const { state } = run([knockOn('n', 'A', ['Mum']), admit('n')], gone, AT + 1000);
    expect(who(state, 'n')).toMatchObject({ state: 'admitted', admissionNumber: 2 });
  });

  it('staff knocking without a device keep the place they hold', () => {
    const { events } = run([{ type: 'leave', actorId: 'f' }, knock('f')], liveMeeting(), LATER);
    expect(events.at(-2)).not.toHaveProperty('device');
  });
});

describe('the meeting as each device sees it', () => {
  it('is unchanged for the holder, the knock for the new device, nothing for a moved one', () => {
    const { state } = bKnocks();
    expect(seenFromDevice(state, 'n', 'A')).toBe(state);
    expect(seenFromDevice(state, 'n', undefined)).toBe(state);
    expect(who(seenFromDevice(state, 'n', 'B')!, 'n')).toMatchObject({
      state: 'waiting',
      device: 'B',
      admissionNumber: 1,
    });
    expect(who(seenFromDevice(state, 'n', 'B')!, 'f')).toBe(who(state, 'f'));
    expect(seenFromDevice(state, 'n', 'C')).toBeNull();
    expect(seenFromDevice(state, 'nobody', 'C')).toBe(state);
  });

  it('is the ended meeting for every device after the end (to read the record)', () => {
    const { state } = run([{ type: 'end', actorId: 'f' }], bKnocks(), AT);
    expect(seenFromDevice(state, 'n', 'C')).toBe(state);
  });
});

describe('what each device is told', () => {
  it('tells a knock from another device of its own knock only, never of the seat', () => {
    const { state } = bKnocks();
    const seen = (device: string | undefined, event: MeetingEvent) =>
      isEventVisibleFromDevice(state, 'n', device, event);
    const knocked: MeetingEvent = {
      type: 'device.knocked',
      at: AT,
      participantId: 'n',
      device: 'B',
      companions: [],
    };
    const approved: MeetingEvent = {
      type: 'admission.approved',
      at: AT,
      participantId: 'n',
      by: 'f',
      otherDevice: true,
    };
    const seatNews: MeetingEvent = {
      type: 'companions.changed',
      at: AT,
      participantId: 'n',
      companions: [],
      added: [],
      removed: ['Mum'],
    };
    const started: MeetingEvent = { type: 'meeting.started', at: AT, by: 'f' };
    const ended: MeetingEvent = { type: 'meeting.ended', at: AT, by: 'f' };
    const othersNews: MeetingEvent = { type: 'hand.raised', at: AT, participantId: 'z' };
    for (const event of [knocked, approved, started, ended]) expect(seen('B', event)).toBe(true);
    expect(seen('B', seatNews)).toBe(false);
    expect(seen('B', othersNews)).toBe(false);
    for (const event of [knocked, approved, seatNews, othersNews]) {
      expect(seen('A', event)).toBe(true);
      expect(seen(undefined, event)).toBe(true);
      expect(seen('C', event)).toBe(false);
    }
    expect(isEventVisibleFromDevice(state, 'nobody', 'A', ended)).toBe(false);
  });
});

describe('events about another device’s knock without one', () => {
  it('change nothing', () => {
    const { state } = nOnA();
    for (const event of [
      { type: 'admission.approved', at: AT, participantId: 'n', by: 'f', otherDevice: true },
      {
        type: 'participant.admitted',
        at: AT,
        participantId: 'n',
        admissionNumber: 2,
        basis: 'two_keys',
        otherDevice: true,
      },
    ] as const) {
      const n = who(reduce(state, event), 'n');
      expect(n.device).toBe('A');
      expect(n.facilitatorKey).toBeNull();
    }
  });
});
