import type { MediaGrants, MediaSource } from './grants.ts';
import { PUBLISH_SOURCES } from './grants.ts';
import type { MeetingRole } from './roles.ts';
import type { Mode } from './modes.ts';

/** What a track is, as the media server reports it (never what the client says it is). */
export const TRACK_KINDS = ['audio', 'video'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

/**
 * The only kind each source may carry. A client chooses its track's declared source freely, so
 * LiveKit's per-source grants alone would let a microphone through under a camera label: the
 * kind is checked against this table on every published track.
 */
export const SOURCE_KIND = {
  camera: 'video',
  microphone: 'audio',
  screen_share: 'video',
  screen_share_audio: 'audio',
} as const satisfies Record<MediaSource, TrackKind>;

/**
 * What the server makes of one published track:
 * - `allowed`: the kind fits the source and the live grants include the source;
 * - `not_granted`: an honest track the grants do not (or no longer) cover, e.g. published in the
 *   instant before a mode switch reached the SFU: the permissions the server sends make the SFU
 *   take it down; nobody is blamed;
 * - `kind_mismatch`: sound under a picture label or the reverse; no honest client does this;
 * - `unknown_source`: a source Polyphony never grants (LiveKit's `UNKNOWN`); no honest client does
 *   this either.
 */
export type TrackVerdict = 'allowed' | 'not_granted' | 'kind_mismatch' | 'unknown_source';

/**
 * What the server does for each verdict. A forged track costs its sender their seat; an
 * ungranted honest one is left to the permissions (muting it on the server as well left
 * LiveKit holding a muted microphone that blocked the person's next one).
 */
export const TRACK_ACTION = {
  allowed: 'keep',
  not_granted: 'by_permissions',
  kind_mismatch: 'remove_participant',
  unknown_source: 'remove_participant',
} as const satisfies Record<TrackVerdict, 'keep' | 'by_permissions' | 'remove_participant'>;

/** Judges a published track by what it is (kind) against what it claims (source) and the grants. */
export function judgeTrack(
  kind: TrackKind,
  source: MediaSource | null,
  grants: MediaGrants | null,
): TrackVerdict {
  if (source === null) return 'unknown_source';
  if (SOURCE_KIND[source] !== kind) return 'kind_mismatch';
  if (grants === null || !grants.canPublishSources.includes(source)) return 'not_granted';
  return 'allowed';
}

/**
 * Whether a listener's page may play a remote audio track: it must be audio, declared as a
 * sound source, and that source must be one the sender's role may publish in this mode. The
 * server removes forged tracks; this keeps honest pages from playing one in the meantime.
 */
export function isAudible(
  kind: TrackKind,
  source: MediaSource | null,
  role: MeetingRole,
  mode: Mode,
): boolean {
  if (kind !== 'audio' || source === null || SOURCE_KIND[source] !== 'audio') return false;
  const sources: readonly MediaSource[] = PUBLISH_SOURCES[mode][role];
  return sources.includes(source);
}

/** Why the server removed someone; shown in the timeline. */
export const SERVER_REMOVAL_REASONS = ['sound_under_picture_label', 'forged_track'] as const;
export type ServerRemovalReason = (typeof SERVER_REMOVAL_REASONS)[number];

/** The timeline's reason for a removal caused by a track's verdict. */
export function removalReason(kind: TrackKind): ServerRemovalReason {
  return kind === 'audio' ? 'sound_under_picture_label' : 'forged_track';
}
