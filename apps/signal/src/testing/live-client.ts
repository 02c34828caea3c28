import type { LiveEvent, ServerMessage } from '@polyphony/protocol';
import { openLive as openChannel, type LiveClient as Channel } from '@polyphony/stack';

/** The repository's live-channel test client, typed with the protocol's server messages. */
export type LiveClient = Channel<ServerMessage>;

export function openLive(url: string, headers: Record<string, string>): LiveClient {
  return openChannel<ServerMessage>(url, headers);
}

/**
 * The next meeting event of this type on a live channel, skipping every other message and event
 * (for example the `media.connected` each seated page causes).
 */
export async function nextEventOf(
  live: LiveClient,
  type: string,
  timeoutMs = 10_000,
): Promise<LiveEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await live.nextOf('event', Math.max(1, deadline - Date.now()));
    if (message.event.type === type) return message;
  }
}
