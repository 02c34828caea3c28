import { TrackSource, type ParticipantPermission, type VideoGrant } from 'livekit-server-sdk';
import type { MediaGrants, MediaSource } from '@polyphony/domain';

/** Our source names to LiveKit's enum; exhaustive over the domain's sources. */
export const TRACK_SOURCE = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
} as const satisfies Record<MediaSource, TrackSource>;

/** LiveKit's room for a meeting: one room per meeting. */
export function roomName(meetingId: string): string {
  return `meeting-${meetingId}`;
}

/**
 * The token grant for one participant: join one room, with exactly the policy's sources.
 * Built field by field so hidden, recorder and admin grants can never slip in.
 */
export function toVideoGrant(room: string, grants: MediaGrants): VideoGrant {
  return {
    roomJoin: true,
    room,
    canSubscribe: grants.canSubscribe,
    canPublish: grants.canPublish,
    canPublishSources: grants.canPublishSources.map((s) => TRACK_SOURCE[s]),
    canPublishData: grants.canPublishData,
    canUpdateOwnMetadata: false,
    hidden: false,
    recorder: false,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    roomRecord: false,
  };
}

/**
 * The complete permission object for `updateParticipant`. LiveKit replaces the whole object,
 * so every field is sent, `canSubscribe` included. `null` (no grant) subscribes and publishes nothing.
 */
export function toParticipantPermission(
  grants: MediaGrants | null,
): Partial<ParticipantPermission> {
  return {
    canSubscribe: grants?.canSubscribe ?? false,
    canPublish: grants?.canPublish ?? false,
    canPublishSources: (grants?.canPublishSources ?? []).map((s) => TRACK_SOURCE[s]),
    canPublishData: grants?.canPublishData ?? false,
    canUpdateMetadata: false,
    hidden: false,
    recorder: false,
    agent: false,
    canSubscribeMetrics: false,
    canManageAgentSession: false,
  };
}
