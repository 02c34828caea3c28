import type { RosterEntry } from '@polyphony/protocol';
import type { RemoteMediaView } from './livekit-adapter.ts';

/** How a person's connection is shown on the roster (domain `connection.ts`, plus `reconnecting`). */
export type ShownConnection = 'connecting' | 'connected' | 'reconnecting' | 'lost';

/**
 * What the roster says about someone's connection. The server's word (connecting, connected,
 * lost) is the same on every page; `reconnecting` is added where this page's media client hears
 * nothing from a connected person right now (LiveKit's connection quality "lost"), before the
 * server calls them lost.
 */
export function shownConnection(
  entry: Pick<RosterEntry, 'connection'>,
  remote: Pick<RemoteMediaView, 'connectionLost'> | undefined,
): ShownConnection {
  if (entry.connection !== 'connected') return entry.connection;
  return remote?.connectionLost === true ? 'reconnecting' : 'connected';
}

/** "0:42", "12:05", "1:02:03": how long ago, for "lost connection 0:42 ago". */
export function formatAgo(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
