import {
  TrackSource,
  TrackType,
  type ParticipantPermission,
  type VideoGrant,
} from 'livekit-server-sdk';
import {
  MEDIA_SOURCES,
  type MediaGrants,
  type MediaSource,
  type TrackKind,
} from '@polyphony/domain';

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
 * The token grant: join one room and nothing else. A token is a ticket, not a permission: it
 * cannot subscribe, publish or send data. The signal service grants the policy's set with
 * `updateParticipant` once that connection has claimed its seat over the live channel and the
 * database says the identity is current (ADR 0014). Built field by field so hidden, recorder
 * and admin grants can never slip in.
 */
export function toVideoGrant(room: string): VideoGrant {
  return {
    roomJoin: true,
    room,
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

/** LiveKit's track type to the domain's kind; null for data tracks (never granted). */
export function fromTrackType(type: TrackType): TrackKind | null {
  if (type === TrackType.AUDIO) return 'audio';
  if (type === TrackType.VIDEO) return 'video';
  return null;
}

/** LiveKit's enum back to our source names; null for sources we never grant. */
export function fromTrackSource(source: TrackSource): MediaSource | null {
  return MEDIA_SOURCES.find((s) => TRACK_SOURCE[s] === source) ?? null;
}

/** The permission LiveKit reports for a participant, in our terms. */
export interface ReportedPermission {
  readonly canSubscribe: boolean;
  readonly canPublish: boolean;
  readonly canPublishSources: readonly (MediaSource | null)[];
  readonly canPublishData: boolean;
}

/**
 * Whether LiveKit holds exactly the policy's grants. LiveKit reports an empty source list as
 * "all sources", so an empty list only matches when publishing is off.
 */
export function sameGrants(reported: ReportedPermission | null, grants: MediaGrants): boolean {
  if (!reported) return false;
  const sources = new Set(reported.canPublishSources);
  const expected = new Set<MediaSource | null>(grants.canPublishSources);
  const sameSources =
    !grants.canPublish ||
    (sources.size === expected.size && [...expected].every((s) => sources.has(s)));
  return (
    reported.canSubscribe === grants.canSubscribe &&
    reported.canPublish === grants.canPublish &&
    reported.canPublishData === grants.canPublishData &&
    sameSources
  );
}

const ROOM_PREFIX = 'meeting-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The participant attribute the signal service sets on the one connection it seated (granted)
 * for an identity. Clients cannot set attributes (`canUpdateOwnMetadata` is never granted) and a
 * second connection under the same identity starts without it, so it tells the seat holder
 * from a replayed or leaked token.
 */
export const SEAT_ATTRIBUTE = 'polyphony.seat';

/** The meeting a room belongs to (inverse of {@link roomName}); null for any other room. */
export function meetingIdOfRoom(room: string): string | null {
  if (!room.startsWith(ROOM_PREFIX)) return null;
  const id = room.slice(ROOM_PREFIX.length);
  return UUID.test(id) ? id : null;
}
