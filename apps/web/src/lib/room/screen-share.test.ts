import { MEETING_ROLES, MODES, mediaIdentity, type MeetingRole } from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import type { RemoteMediaView } from './livekit-adapter.ts';
import { remoteTiles } from './remote-tiles.ts';
import { mayShareScreen, sharedScreens } from './screen-share.ts';

const entry = (id: string, role: MeetingRole, admission = 1): RosterEntry => ({
  participantId: id,
  displayName: `Person ${id}`,
  role,
  language: null,
  companions: [],
  mediaIdentity: mediaIdentity(id, admission),
  connection: 'connected',
  lostAt: null,
});

const sharing = (identity: string, audio = true): RemoteMediaView => ({
  identity,
  name: '',
  videoTrackSid: 'TR_cam',
  audioTrackSid: 'TR_mic',
  speaking: false,
  connectionLost: false,
  quality: 'good',
  sharesScreen: true,
  screenTrackSid: `TR_screen_${identity}`,
  screenAudioTrackSid: audio ? `TR_screen_audio_${identity}` : null,
  undecryptable: false,
});

describe('mayShareScreen', () => {
  it('offers the share button to the reflecting team in dialogue only', () => {
    const offered = MODES.flatMap((mode) =>
      MEETING_ROLES.filter((role) => mayShareScreen(role, mode)).map((role) => `${mode}:${role}`),
    );
    expect(offered).toEqual(['dialogue:facilitator', 'dialogue:cofacilitator', 'dialogue:team']);
  });
});

describe('sharedScreens', () => {
  const lee = entry('p1', 'facilitator');
  const kai = entry('p2', 'team');
  const dad = entry('p3', 'network');
  const roster = [lee, kai, dad];

  it('shows a team member’s screen with its sound in dialogue', () => {
    const tiles = remoteTiles([sharing(lee.mediaIdentity!)], roster, 'dialogue');
    expect(sharedScreens(tiles, 'dialogue')).toEqual([
      {
        identity: lee.mediaIdentity,
        name: 'Person p1',
        trackSid: `TR_screen_${lee.mediaIdentity}`,
        audioTrackSid: `TR_screen_audio_${lee.mediaIdentity}`,
      },
    ]);
  });

  it('shows a screen shared without sound, with no sound', () => {
    const tiles = remoteTiles([sharing(kai.mediaIdentity!, false)], roster, 'dialogue');
    expect(sharedScreens(tiles, 'dialogue').map((s) => s.audioTrackSid)).toEqual([null]);
  });

  it.each([
    ['a network member (never granted a screen)', sharing(dad.mediaIdentity!), 'dialogue'],
    ['the team during a reflection', sharing(lee.mediaIdentity!), 'reflecting'],
    ['an old admission of a team member', sharing(mediaIdentity('p1', 0)), 'dialogue'],
    ['someone not on the roster', sharing(mediaIdentity('p9', 1)), 'dialogue'],
  ] as const)('shows nothing from %s', (_what, remote, mode) => {
    expect(sharedScreens(remoteTiles([remote], roster, mode), mode)).toEqual([]);
  });

  it('shows nothing when nobody shares', () => {
    const quiet = { ...sharing(lee.mediaIdentity!), sharesScreen: false, screenTrackSid: null };
    expect(sharedScreens(remoteTiles([quiet], roster, 'dialogue'), 'dialogue')).toEqual([]);
  });

  it('keeps a share this page does not receive (audio only), without a picture, with its sound', () => {
    const unreceived = { ...sharing(lee.mediaIdentity!), screenTrackSid: null };
    expect(sharedScreens(remoteTiles([unreceived], roster, 'dialogue'), 'dialogue')).toEqual([
      {
        identity: lee.mediaIdentity,
        name: 'Person p1',
        trackSid: null,
        audioTrackSid: `TR_screen_audio_${lee.mediaIdentity}`,
      },
    ]);
  });
});
