import type { RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import {
  microphoneAllowed,
  microphoneBlock,
  microphoneReturnsAfterReflection,
  namesFor,
  reflectingNames,
  splitTiles,
  tileMicrophone,
} from './room-layout.ts';
import type { RemoteTile } from './remote-tiles.ts';

const entry = (participantId: string, role: RosterEntry['role']): RosterEntry => ({
  participantId,
  displayName: participantId.toUpperCase(),
  role,
  companions: [],
  mediaIdentity: null,
  connection: 'connected',
  lostAt: null,
});
const tile = (e: RosterEntry | null, identity: string): RemoteTile => ({
  identity,
  name: '',
  videoTrackSid: null,
  audioTrackSid: null,
  speaking: false,
  connectionLost: false,
  quality: 'unknown',
  sharesScreen: false,
  screenTrackSid: null,
  screenAudioTrackSid: null,
  entry: e,
  audible: true,
});

describe('room layout', () => {
  it.each([
    ['network', 'dialogue', 'none'],
    ['network', 'reflecting', 'paused'],
    ['centre', 'reflecting', 'paused'],
    ['facilitator', 'reflecting', 'none'],
    ['observer', 'dialogue', 'never'],
    ['observer', 'reflecting', 'never'],
  ] as const)('%s in %s: microphone blocked %s', (role, mode, expected) => {
    expect(microphoneBlock(role, mode)).toBe(expected);
  });

  it.each([
    [null, 'dialogue', true, 'none'],
    ['observer', 'dialogue', false, 'none'],
    ['network', 'dialogue', true, 'on'],
    ['network', 'dialogue', false, 'muted'],
    ['network', 'reflecting', false, 'paused'],
    ['network', 'reflecting', true, 'paused'],
    ['facilitator', 'reflecting', false, 'muted'],
    ['team', 'reflecting', true, 'on'],
  ] as const)('tile of a %s in %s, sending sound %s: %s', (role, mode, sending, expected) => {
    expect(tileMicrophone(role, mode, sending)).toBe(expected);
  });

  it.each([
    ['network', 'dialogue', true],
    ['network', 'reflecting', false],
    ['centre', 'reflecting', false],
    ['team', 'reflecting', true],
    ['facilitator', 'reflecting', true],
    ['observer', 'dialogue', false],
  ] as const)('%s in %s may use a microphone: %s', (role, mode, expected) => {
    expect(microphoneAllowed(role, mode)).toBe(expected);
  });

  it.each([
    ['network', true],
    ['centre', true],
    ['facilitator', false],
    ['cofacilitator', false],
    ['team', false],
    ['observer', false],
  ] as const)('%s gets the microphone back after a reflection: %s', (role, expected) => {
    expect(microphoneReturnsAfterReflection(role)).toBe(expected);
  });

  it('puts the reflecting team apart from the network (unknown people with the network)', () => {
    const lee = tile(entry('lee', 'facilitator'), 'lee.1');
    const ann = tile(entry('ann', 'team'), 'ann.1');
    const dad = tile(entry('dad', 'network'), 'dad.1');
    const who = tile(null, 'x');
    expect(splitTiles([dad, lee, who, ann])).toEqual({ team: [lee, ann], network: [dad, who] });
  });

  it('names the reflecting team and the people who asked to respond', () => {
    const me = entry('sam', 'centre');
    const others = [entry('lee', 'facilitator'), entry('dad', 'network'), entry('ann', 'team')];
    expect(reflectingNames(me, others)).toEqual(['LEE', 'ANN']);
    expect(namesFor(['dad', 'gone', 'sam'], me, others)).toEqual([
      { participantId: 'dad', displayName: 'DAD' },
      { participantId: 'sam', displayName: 'SAM' },
    ]);
  });
});
