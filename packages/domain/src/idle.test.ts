import { describe, expect, it } from 'vitest';
import type { MeetingCommand } from './commands.ts';
import { decide } from './decide.ts';
import { IDLE_END_AFTER_MS, isAnyonePresent, isIdle } from './idle.ts';
import { SERVER_ACTOR } from './meeting-events.ts';
import { T0, accepted, fullRoom, liveMeeting, run, who } from './testing/meeting-fixture.ts';

const endIdle = (quietSince: number, idleMs = IDLE_END_AFTER_MS) =>
  ({
    type: 'end_idle',
    actorId: SERVER_ACTOR,
    quietSince,
    idleMs,
  }) as const satisfies MeetingCommand;
const lost = (targetId: string) =>
  ({ type: 'note_lost', actorId: SERVER_ACTOR, targetId }) as const satisfies MeetingCommand;

describe('a meeting nobody is in ends itself', () => {
  it('someone admitted and not lost is present; lost or gone is not', () => {
    const room = fullRoom();
    expect(isAnyonePresent(room.state)).toBe(true);
    const ids = room.state.participants.map((p) => p.id);
    const allLost = run(ids.map(lost), room, T0 + 3_600_000);
    expect(isAnyonePresent(allLost.state)).toBe(false);
    expect(who(allLost.state, 'f').state).toBe('admitted');
  });

  it('ends an empty live meeting once it has been quiet for the bound, by the server, as idle', () => {
    const empty = run(
      [
        { type: 'leave', actorId: 'z' },
        { type: 'leave', actorId: 'f' },
      ],
      liveMeeting(),
      T0 + 60_000,
    );
    const quietSince = T0 + 61_000;
    expect(isIdle(empty.state, quietSince, quietSince + IDLE_END_AFTER_MS - 1)).toBe(false);
    expect(
      accepted(decide(empty.state, endIdle(quietSince), quietSince + IDLE_END_AFTER_MS - 1)).events,
    ).toEqual([]);
    const ended = accepted(
      decide(empty.state, endIdle(quietSince), quietSince + IDLE_END_AFTER_MS),
    );
    expect(ended.events).toEqual([
      {
        type: 'meeting.ended',
        at: quietSince + IDLE_END_AFTER_MS,
        by: SERVER_ACTOR,
        reason: 'idle',
      },
    ]);
    expect(ended.state.status).toBe('ended');
  });

  it('leaves a meeting with someone in it, or one not live, as it is', () => {
    const later = T0 + 10 * IDLE_END_AFTER_MS;
    expect(accepted(decide(fullRoom().state, endIdle(T0), later)).events).toEqual([]);
    const scheduled = run([
      { type: 'invite', actorId: 'staff-1', participantId: 'f', role: 'facilitator' },
    ]);
    expect(scheduled.state.status).toBe('scheduled');
    expect(isIdle(scheduled.state, T0, later)).toBe(false);
  });
});
