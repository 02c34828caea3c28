import { mediaIdentity } from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import type { RemoteMediaView } from './livekit-adapter.ts';
import { remoteTiles } from './remote-tiles.ts';

const lee: RosterEntry = {
  participantId: 'p2',
  displayName: 'Dr Lee',
  role: 'facilitator',
  companions: [],
};

const remote = (identity: string): RemoteMediaView => ({
  identity,
  name: '',
  videoTrackSid: null,
  audioTrackSid: null,
  speaking: false,
});

describe('remoteTiles', () => {
  it.each([
    ['an admission identity', mediaIdentity('p2', 3), lee],
    ['a bare participant id', 'p2', lee],
    ['someone not on the roster', mediaIdentity('p9', 1), null],
    ['a foreign identity', 'recorder', null],
  ])('matches %s', (_name, identity, entry) => {
    expect(remoteTiles([remote(identity)], [lee])).toEqual([{ ...remote(identity), entry }]);
  });
});
