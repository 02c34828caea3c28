import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { MeetingCommand } from './commands.ts';
import { replay } from './reduce.ts';
import { T0, fullRoom, liveMeeting, refused, run } from './testing/meeting-fixture.ts';

const LATER = T0 + 3_600_000;

describe('decide', () => {
  it('returns exactly the state its events replay to', () => {
    const { state, events } = fullRoom();
    expect(replay(events)).toEqual(state);
  });

  it('refuses an actor who is not in the meeting', () => {
    const room = fullRoom().state;
    refused(
      decide(room, { type: 'admit', actorId: 'ghost', targetId: 'n' }, LATER),
      'UNKNOWN_PARTICIPANT',
    );
    refused(decide(room, { type: 'end', actorId: 'ghost' }, LATER), 'UNKNOWN_PARTICIPANT');
  });

  it('refuses a target who is not in the meeting', () => {
    refused(
      decide(fullRoom().state, { type: 'remove', actorId: 'f', targetId: 'ghost' }, LATER),
      'TARGET_NOT_FOUND',
    );
  });

  it('passes authorisation refusals through unchanged', () => {
    const { state } = liveMeeting();
    refused(decide(state, { type: 'admit', actorId: 'z', targetId: 'n' }, LATER), 'FORBIDDEN');
    refused(
      decide(state, { type: 'admit', actorId: 'f', targetId: 'n' }, LATER),
      'TARGET_NOT_WAITING',
    );
    refused(
      decide(state, { type: 'remove', actorId: 'f', targetId: 'z' }, LATER),
      'TARGET_PROTECTED',
    );
  });

  it('refuses everything once the meeting has ended', () => {
    const { state } = run([{ type: 'end', actorId: 'f' }], fullRoom(), LATER);
    refused(
      decide(state, { type: 'invite', actorId: 's', participantId: 'x', role: 'network' }, LATER),
      'MEETING_ENDED',
    );
    refused(decide(state, { type: 'join', actorId: 'n', companions: [] }, LATER), 'MEETING_ENDED');
  });

  it('refuses an unknown command type instead of throwing', () => {
    const bogus = { type: 'mute_everyone', actorId: 'f' } as unknown as MeetingCommand;
    expect(decide(fullRoom().state, bogus, LATER)).toEqual({ ok: false, code: 'INVALID_INPUT' });
  });
});
