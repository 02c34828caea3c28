import { mediaIdentity } from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import type { RemoteMediaView } from './livekit-adapter.ts';
import { listenerIdentities, remoteTiles } from './remote-tiles.ts';

const lee: RosterEntry = {
  participantId: 'p2',
  displayName: 'Dr Lee',
  role: 'facilitator',
  language: null,
  companions: [],
  mediaIdentity: mediaIdentity('p2', 3),
  connection: 'connected',
  lostAt: null,
};
const dad: RosterEntry = {
  participantId: 'p3',
  displayName: 'Robin',
  role: 'network',
  language: null,
  companions: [],
  mediaIdentity: mediaIdentity('p3', 1),
  connection: 'connected',
  lostAt: null,
};

const remote = (identity: string): RemoteMediaView => ({
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
});

describe('remoteTiles', () => {
  it.each([
    ['the current admission identity', mediaIdentity('p2', 3), lee, true],
    ['an old admission of someone on the roster', mediaIdentity('p2', 2), lee, false],
    ['a bare participant id', 'p2', lee, false],
    ['someone not on the roster', mediaIdentity('p9', 1), null, false],
    ['a foreign identity', 'recorder', null, false],
  ])('matches %s (audible: %s)', (_name, identity, entry, audible) => {
    expect(remoteTiles([remote(identity)], [lee], 'dialogue')).toEqual([
      { ...remote(identity), entry, audible },
    ]);
  });

  it.each([
    ['dialogue', true, true],
    ['reflecting', true, false],
  ] as const)('in %s plays the team (%s) and the network (%s)', (mode, team, network) => {
    const tiles = remoteTiles(
      [remote(lee.mediaIdentity!), remote(dad.mediaIdentity!)],
      [lee, dad],
      mode,
    );
    expect(tiles.map((t) => t.audible)).toEqual([team, network]);
  });
});

describe('listenerIdentities', () => {
  it('lets exactly the roster’s current identities receive', () => {
    expect(listenerIdentities([lee, { ...dad, mediaIdentity: null }])).toEqual(['p2.3']);
  });
});
