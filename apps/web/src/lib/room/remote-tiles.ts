import { isAudible, parseMediaIdentity, type Mode } from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import type { RemoteMediaView } from './livekit-adapter.ts';

/** A remote video tile: LiveKit media joined with the roster entry it belongs to. */
export interface RemoteTile extends RemoteMediaView {
  readonly entry: RosterEntry | null;
  /**
   * Whether this page plays the tile's microphone: only for someone on the roster under their
   * current identity, whose role may speak in this mode. The server takes forged and blocked
   * tracks away; this keeps an honest page from playing one in the meantime.
   */
  readonly audible: boolean;
}

/** Joins LiveKit participants to roster entries through the media identity (participant id). */
export function remoteTiles(
  remotes: readonly RemoteMediaView[],
  roster: readonly RosterEntry[],
  mode: Mode,
): RemoteTile[] {
  const byId = new Map(roster.map((p) => [p.participantId, p]));
  return remotes.map((remote) => {
    const participantId = parseMediaIdentity(remote.identity)?.participantId ?? remote.identity;
    const entry = byId.get(participantId) ?? null;
    const audible =
      entry !== null &&
      entry.mediaIdentity === remote.identity &&
      isAudible('audio', 'microphone', entry.role, mode);
    return { ...remote, entry, audible };
  });
}

/** The identities allowed to receive this page's tracks: everyone on the roster, as now. */
export function listenerIdentities(roster: readonly RosterEntry[]): readonly string[] {
  return roster.flatMap((p) => (p.mediaIdentity === null ? [] : [p.mediaIdentity]));
}
