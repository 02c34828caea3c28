import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MeetingCommand } from './commands.ts';
import { isChannelGone, waitingKnocks, type ChannelSighting } from './connection.ts';
import { decide } from './decide.ts';
import { SERVER_ACTOR } from './meeting-events.ts';
import { PRESENCE } from './participant-state.ts';
import {
  T0,
  accepted,
  fullRoom,
  liveMeeting,
  refused,
  run,
  types,
  who,
  type Run,
} from './testing/meeting-fixture.ts';

const AT = T0 + 600_000;
const connected = (targetId: string) =>
  ({ type: 'note_connected', actorId: SERVER_ACTOR, targetId }) as const satisfies MeetingCommand;
const lost = (targetId: string) =>
  ({ type: 'note_lost', actorId: SERVER_ACTOR, targetId }) as const satisfies MeetingCommand;
const drop = (targetId: string, knockDevice: string | null) =>
  ({
    type: 'drop_knock',
    actorId: SERVER_ACTOR,
    targetId,
    knockDevice,
  }) as const satisfies MeetingCommand;
const knockOn = (id: string, device: string) =>
  ({ type: 'join', actorId: id, companions: [], device }) as const satisfies MeetingCommand;

describe('presence is connection, not admission', () => {
  it('an admitted person is connecting until their device takes its seat, then connected once', () => {
    const room = fullRoom();
    expect(who(room.state, 'n').connection).toBe('connecting');
    const on = run([connected('n')], room, AT);
    expect(on.events.slice(-1)).toEqual([{ type: 'media.connected', at: AT, participantId: 'n' }]);
    expect(who(on.state, 'n')).toMatchObject({ connection: 'connected', lostAt: null });
    // A repeat (a reload claiming the seat again) records nothing.
    expect(accepted(decide(on.state, connected('n'), AT + 5)).events).toEqual([]);
  });

  it('lost keeps the admission; coming back is marked back and needs no new admission', () => {
    const on = run([connected('n')], fullRoom(), AT);
    const gone = run([lost('n')], on, AT + 1000);
    expect(gone.events.slice(-1)).toEqual([
      { type: 'media.lost', at: AT + 1000, participantId: 'n' },
    ]);
    const n = who(gone.state, 'n');
    expect(n).toMatchObject({ state: 'admitted', connection: 'lost', lostAt: AT + 1000 });
    expect(n.admissionNumber).toBe(who(on.state, 'n').admissionNumber);
    expect(accepted(decide(gone.state, lost('n'), AT + 2000)).events).toEqual([]);
    const back = run([connected('n')], gone, AT + 3000);
    expect(back.events.slice(-1)).toEqual([
      { type: 'media.connected', at: AT + 3000, participantId: 'n', back: true },
    ]);
    expect(who(back.state, 'n')).toMatchObject({ connection: 'connected', lostAt: null });
  });

  it('asked to leave while lost: the admission is spent and nothing brings them back', () => {
    const gone = run([connected('n'), lost('n')], fullRoom(), AT);
    const out = run([{ type: 'remove', actorId: 'f', targetId: 'n' }], gone, AT + 5000);
    expect(who(out.state, 'n').state).toBe('stepped_out');
    expect(accepted(decide(out.state, connected('n'), AT + 6000)).events).toEqual([]);
    expect(accepted(decide(out.state, lost('n'), AT + 6000)).events).toEqual([]);
  });

  it('a new admission connects afresh', () => {
    const gone = run([connected('n'), lost('n')], fullRoom(), AT);
    const again = run(
      [
        { type: 'remove', actorId: 'f', targetId: 'n' },
        { type: 'join', actorId: 'n', companions: [] },
        { type: 'admit', actorId: 'f', targetId: 'n' },
        { type: 'consent', actorId: 'z', targetId: 'n' },
      ],
      gone,
      AT + 5000,
    );
    expect(who(again.state, 'n')).toMatchObject({
      state: 'admitted',
      connection: 'connecting',
      lostAt: null,
    });
  });

  it('refuses notes about nobody', () => {
    const room = fullRoom();
    refused(decide(room.state, connected('nobody'), AT), 'TARGET_NOT_FOUND');
    refused(decide(room.state, lost('nobody'), AT), 'TARGET_NOT_FOUND');
    refused(decide(room.state, drop('nobody', null), AT), 'TARGET_NOT_FOUND');
  });

  it('no sequence of notes changes anyone’s admission, role or mode (property)', () => {
    const notes = fc.array(
      fc.record({
        kind: fc.constantFrom('connected', 'lost', 'drop'),
        target: fc.constantFrom('f', 'c', 't', 'z', 'n', 'o'),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(notes, (list) => {
        const start = fullRoom().state;
        let state = start;
        for (const [i, { kind, target }] of list.entries()) {
          const command =
            kind === 'connected'
              ? connected(target)
              : kind === 'lost'
                ? lost(target)
                : drop(target, null);
          state = accepted(decide(state, command, AT + i)).state;
        }
        for (const before of start.participants) {
          const after = who(state, before.id);
          expect(after.state).toBe(before.state);
          expect(after.admissionNumber).toBe(before.admissionNumber);
        }
        expect(state.mode).toBe(start.mode);
      }),
    );
  });
});

describe('a waiting page that is gone leaves the lobby', () => {
  /** The network member `n` waits on device A. */
  const waitingOnA = (): Run => run([knockOn('n', 'A')], liveMeeting(), AT);

  it('drops the knock of the device that holds the place, as lost', () => {
    const gone = run([drop('n', 'A')], waitingOnA(), AT + 30_000);
    expect(gone.events.slice(-1)).toEqual([
      { type: 'participant.left', at: AT + 30_000, participantId: 'n', reason: 'lost' },
    ]);
    expect(PRESENCE[who(gone.state, 'n').state]).toBe('away');
  });

  it('leaves the knock alone when another device holds it now, or nobody waits', () => {
    const waiting = waitingOnA();
    expect(accepted(decide(waiting.state, drop('n', 'B'), AT + 1)).events).toEqual([]);
    expect(accepted(decide(waiting.state, drop('n', null), AT + 1)).events).toEqual([]);
    const room = fullRoom();
    expect(accepted(decide(room.state, drop('n', null), AT + 1)).events).toEqual([]);
  });

  it('drops a knock from another device without touching the seat', () => {
    const seated = run(
      [
        knockOn('n', 'A'),
        { type: 'admit', actorId: 'f', targetId: 'n' },
        { type: 'consent', actorId: 'z', targetId: 'n' },
      ],
      liveMeeting(),
      AT,
    );
    const beside = run([knockOn('n', 'B')], seated, AT + 10_000);
    expect(types(beside.events.slice(-1))).toEqual(['device.knocked']);
    const gone = run([drop('n', 'B')], beside, AT + 40_000);
    expect(gone.events.slice(-1)).toEqual([
      {
        type: 'participant.left',
        at: AT + 40_000,
        participantId: 'n',
        reason: 'lost',
        otherDevice: true,
      },
    ]);
    const n = who(gone.state, 'n');
    expect(n.state).toBe('admitted');
    expect(n.device).toBe('A');
    expect(n.otherDevice?.state).toBe('left');
    // The seat's device is not a waiting knock: dropping it changes nothing.
    expect(accepted(decide(gone.state, drop('n', 'A'), AT + 50_000)).events).toEqual([]);
  });
});

describe('when a waiting page counts as gone', () => {
  const bounds = { closedMs: 25_000, staleMs: 75_000 };

  it('is judged by its channel: closed past the bound, or unseen past the stale bound', () => {
    const table: [ChannelSighting | undefined, number, boolean][] = [
      [undefined, AT + 10 ** 9, false],
      [{ seenAt: AT, closedAt: AT }, AT + 24_999, false],
      [{ seenAt: AT, closedAt: AT }, AT + 25_000, true],
      [{ seenAt: AT, closedAt: null }, AT + 74_999, false],
      [{ seenAt: AT, closedAt: null }, AT + 75_000, true],
    ];
    for (const [sighting, now, gone] of table) {
      expect(isChannelGone(sighting, now, bounds), JSON.stringify([sighting, now - AT])).toBe(gone);
    }
  });

  it('lists every waiting knock, a knock beside a seat included, and nobody else', () => {
    const seated = run(
      [
        knockOn('n', 'A'),
        { type: 'admit', actorId: 'f', targetId: 'n' },
        { type: 'consent', actorId: 'z', targetId: 'n' },
        knockOn('o', 'C'),
      ],
      liveMeeting(),
      AT,
    );
    expect(waitingKnocks(seated.state)).toEqual([{ participantId: 'o', device: 'C' }]);
    const beside = run([knockOn('n', 'B')], seated, AT + 10_000);
    expect(waitingKnocks(beside.state)).toEqual([
      { participantId: 'n', device: 'B' },
      { participantId: 'o', device: 'C' },
    ]);
  });
});
