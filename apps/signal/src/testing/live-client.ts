import type { ServerMessage } from '@polyphony/protocol';
import { openLive as openChannel, type LiveClient as Channel } from '@polyphony/stack';

/** The repository's live-channel test client, typed with the protocol's server messages. */
export type LiveClient = Channel<ServerMessage>;

export function openLive(url: string, headers: Record<string, string>): LiveClient {
  return openChannel<ServerMessage>(url, headers);
}
