import { parseMediaIdentity } from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import type { RemoteMediaView } from './livekit-adapter.ts';

/** A remote video tile: LiveKit media joined with the roster entry it belongs to. */
export interface RemoteTile extends RemoteMediaView {
  readonly entry: RosterEntry | null;
}

/** Joins LiveKit participants to roster entries through the media identity (participant id). */
export function remoteTiles(
  remotes: readonly RemoteMediaView[],
  roster: readonly RosterEntry[],
): RemoteTile[] {
  const byId = new Map(roster.map((p) => [p.participantId, p]));
  return remotes.map((remote) => {
    const participantId = parseMediaIdentity(remote.identity)?.participantId ?? remote.identity;
    return { ...remote, entry: byId.get(participantId) ?? null };
  });
}
