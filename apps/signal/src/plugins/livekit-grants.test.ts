import { describe, expect, it } from 'vitest';
import { TrackSource } from 'livekit-server-sdk';
import { DEFAULT_MEETING_SETTINGS, MEETING_ROLES, MODES, mediaGrants } from '@polyphony/domain';
import { roomName, toParticipantPermission, toVideoGrant, TRACK_SOURCE } from './livekit-grants.ts';

const cases = MODES.flatMap((mode) => MEETING_ROLES.map((role) => [mode, role] as const));

describe('LiveKit grants from the permission policy', () => {
  it.each(cases)('%s / %s: token grant carries exactly the policy', (mode, role) => {
    const grants = mediaGrants(role, mode, 'admitted', DEFAULT_MEETING_SETTINGS)!;
    const grant = toVideoGrant('meeting-m', grants);
    expect(grant).toEqual({
      roomJoin: true,
      room: 'meeting-m',
      canSubscribe: true,
      canPublish: grants.canPublish,
      canPublishSources: grants.canPublishSources.map((s) => TRACK_SOURCE[s]),
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
    expect(toVideoGrant('r', grants).canPublishSources).toEqual([TrackSource.CAMERA]);
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
