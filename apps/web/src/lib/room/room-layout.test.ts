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
  language: role === 'interpreter' ? 'ar' : null,
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
  undecryptable: false,
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
    ['interpreter', 'reflecting', 'none'],
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
    ['interpreter', 'reflecting', true, 'on'],
    ['interpreter', 'reflecting', false, 'muted'],
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
    ['interpreter', 'dialogue', true],
    ['interpreter', 'reflecting', true],
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
    ['interpreter', false],
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

  it('seats the interpreter beside the team in a reflection, not with the network', () => {
    const lee = tile(entry('lee', 'facilitator'), 'lee.1');
    const layla = tile(entry('layla', 'interpreter'), 'layla.1');
    const dad = tile(entry('dad', 'network'), 'dad.1');
    const obs = tile(entry('obs', 'observer'), 'obs.1');
    expect(splitTiles([dad, layla, obs, lee])).toEqual({
      team: [layla, lee],
      network: [dad, obs],
    });
  });

  it('the interpreter is beside the team but not named among those reflecting', () => {
    const me = entry('sam', 'centre');
    const others = [entry('lee', 'facilitator'), entry('layla', 'interpreter')];
    expect(reflectingNames(me, others)).toEqual(['LEE']);
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
