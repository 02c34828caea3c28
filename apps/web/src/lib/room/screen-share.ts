import { isAudible, mayPublish, type MeetingRole, type Mode } from '@polyphony/domain';
import type { RemoteTile } from './remote-tiles.ts';

/** A screen someone shares, as the stage shows it (large, above the faces). */
export interface SharedScreen {
  readonly identity: string;
  readonly name: string;
  /** `null` while this page receives no video (audio only): the stage says so instead. */
  readonly trackSid: string | null;
  /** Its sound, when shared and when this page may play it; otherwise `null`. */
  readonly audioTrackSid: string | null;
}

/** Whether this person is offered the share button now (the media server enforces the same). */
export function mayShareScreen(role: MeetingRole, mode: Mode): boolean {
  return mayPublish(role, mode, 'screen_share');
}

/**
 * The screens this page shows: only from someone on the roster under their current identity
 * whose role may share in this mode. The server refuses any other share (LiveKit checks the
 * source against the grants, ADR 0014); this keeps an honest page from showing one meanwhile.
 */
export function sharedScreens(tiles: readonly RemoteTile[], mode: Mode): SharedScreen[] {
  return tiles.flatMap((tile) => {
    const entry = tile.entry;
    if (!tile.sharesScreen || entry === null) return [];
    if (entry.mediaIdentity !== tile.identity || !mayShareScreen(entry.role, mode)) return [];
    const audible =
      tile.screenAudioTrackSid !== null &&
      isAudible('audio', 'screen_share_audio', entry.role, mode);
    return [
      {
        identity: tile.identity,
        name: entry.displayName,
        trackSid: tile.screenTrackSid,
        audioTrackSid: audible ? tile.screenAudioTrackSid : null,
      },
    ];
  });
}
