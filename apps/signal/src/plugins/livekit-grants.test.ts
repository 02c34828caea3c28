import { describe, expect, it } from 'vitest';
import { TrackSource, TrackType } from 'livekit-server-sdk';
import {
  DEFAULT_MEETING_SETTINGS,
  MEDIA_SOURCES,
  MEETING_ROLES,
  MODES,
  mediaGrants,
} from '@polyphony/domain';
import {
  fromTrackSource,
  fromTrackType,
  meetingIdOfRoom,
  roomName,
  sameGrants,
  toParticipantPermission,
  toVideoGrant,
  TRACK_SOURCE,
} from './livekit-grants.ts';

const cases = MODES.flatMap((mode) => MEETING_ROLES.map((role) => [mode, role] as const));

describe('LiveKit grants from the permission policy', () => {
  it('a token is a ticket: it joins one room and grants no media right at all', () => {
    expect(toVideoGrant('meeting-m')).toEqual({
      roomJoin: true,
      room: 'meeting-m',
      canSubscribe: false,
      canPublish: false,
      canPublishSources: [],
      canPublishData: false,
      canUpdateOwnMetadata: false,
      hidden: false,
      recorder: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      roomRecord: false,
    });
  });

  it.each(cases)('%s / %s: permission update is complete', (mode, role) => {
    const grants = mediaGrants(role, mode, 'admitted', DEFAULT_MEETING_SETTINGS)!;
    const permission = toParticipantPermission(grants);
    expect(permission.canSubscribe).toBe(true);
    expect(permission.canPublishSources).toEqual(
      grants.canPublishSources.map((s) => TRACK_SOURCE[s]),
    );
    expect(permission).toMatchObject({ hidden: false, recorder: false, canUpdateMetadata: false });
  });

  it('blocks network microphones in reflecting mode', () => {
    const grants = mediaGrants('network', 'reflecting', 'admitted', DEFAULT_MEETING_SETTINGS)!;
    expect(toParticipantPermission(grants).canPublishSources).toEqual([TrackSource.CAMERA]);
  });

  it('reads a track\u2019s kind from LiveKit\u2019s type, never from its source', () => {
    expect(fromTrackType(TrackType.AUDIO)).toBe('audio');
    expect(fromTrackType(TrackType.VIDEO)).toBe('video');
    expect(fromTrackType(TrackType.DATA)).toBeNull();
  });

  it('revokes everything for no grant', () => {
    expect(toParticipantPermission(null)).toMatchObject({
      canSubscribe: false,
      canPublish: false,
      canPublishSources: [],
      canPublishData: false,
    });
  });

  it('maps every source name to a distinct LiveKit source', () => {
    expect(new Set(Object.values(TRACK_SOURCE)).size).toBe(Object.keys(TRACK_SOURCE).length);
  });

  it('names one room per meeting', () => {
    expect(roomName('abc')).toBe('meeting-abc');
  });
});

describe('reading permissions back from LiveKit', () => {
  const dialogue = mediaGrants('network', 'dialogue', 'admitted', DEFAULT_MEETING_SETTINGS)!;
  const reflecting = mediaGrants('network', 'reflecting', 'admitted', DEFAULT_MEETING_SETTINGS)!;
  const camerasOff = mediaGrants('network', 'reflecting', 'admitted', {
    ...DEFAULT_MEETING_SETTINGS,
    networkCamerasInReflection: false,
  })!;
  const reported = (g: typeof dialogue) => ({
    canSubscribe: g.canSubscribe,
    canPublish: g.canPublish,
    canPublishSources: g.canPublishSources.map((s) => fromTrackSource(TRACK_SOURCE[s])),
    canPublishData: g.canPublishData,
  });

  it('maps every source both ways and unknown sources to null', () => {
    for (const s of MEDIA_SOURCES) expect(fromTrackSource(TRACK_SOURCE[s])).toBe(s);
    expect(fromTrackSource(TrackSource.UNKNOWN)).toBeNull();
  });

  it.each([
    ['the same grants', reported(dialogue), dialogue, true],
    ['a missing report', null, dialogue, false],
    ['dialogue reported, reflecting wanted', reported(dialogue), reflecting, false],
    ['reflecting reported, dialogue wanted', reported(reflecting), dialogue, false],
    ['deaf listener', { ...reported(dialogue), canSubscribe: false }, dialogue, false],
    ['data allowed', { ...reported(dialogue), canPublishData: true }, dialogue, false],
    [
      'nothing to publish, sources ignored',
      { ...reported(camerasOff), canPublishSources: [] },
      camerasOff,
      true,
    ],
    [
      'publishing while it should not',
      { ...reported(camerasOff), canPublish: true },
      camerasOff,
      false,
    ],
  ] as const)('%s', (_label, got, wanted, same) => {
    expect(sameGrants(got, wanted)).toBe(same);
  });
});

describe('room names', () => {
  it.each([
    [roomName('0b8f3c2e-5d1a-4c3b-9a7e-1f2d3c4b5a69'), '0b8f3c2e-5d1a-4c3b-9a7e-1f2d3c4b5a69'],
    ['meeting-not-a-uuid', null],
    ['lobby-0b8f3c2e-5d1a-4c3b-9a7e-1f2d3c4b5a69', null],
    ['', null],
  ])('%s belongs to meeting %s', (room, id) => {
    expect(meetingIdOfRoom(room)).toBe(id);
  });
});
