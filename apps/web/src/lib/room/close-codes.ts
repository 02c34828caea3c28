import { CLOSE_CODES } from '@polyphony/protocol';

/** What the room does after the live channel closes. */
export type CloseAction =
  /** The server says this person is not (or no longer) in this meeting: stop, tell them. */
  | 'not_in_meeting'
  /** This device's place moved to another device of the same person: stop, tell them. */
  | 'moved'
  /** A protocol error on our side: retrying cannot help. */
  | 'fatal'
  /** Throttled: retry, but start from a longer delay. */
  | 'retry_slowly'
  /** This server node is shutting down: reconnect at once (another node serves the meeting). */
  | 'reconnect_now'
  /** Network trouble, server restart, deploy: retry with backoff. */
  | 'retry';

const BY_CODE: ReadonlyMap<number, CloseAction> = new Map([
  [CLOSE_CODES.UNAUTHENTICATED, 'not_in_meeting'],
  [CLOSE_CODES.FORBIDDEN, 'not_in_meeting'],
  [CLOSE_CODES.NOT_FOUND, 'not_in_meeting'],
  [CLOSE_CODES.MOVED, 'moved'],
  [CLOSE_CODES.TOO_LARGE, 'fatal'],
  [CLOSE_CODES.RATE_LIMITED, 'retry_slowly'],
  // The server's database is briefly gone: the call goes on; the channel comes back later.
  [CLOSE_CODES.TRY_AGAIN_LATER, 'retry'],
  // The node drains (SIGTERM): the load balancer sends the new channel to another node.
  [CLOSE_CODES.GO_ELSEWHERE, 'reconnect_now'],
]);

/** Maps a WebSocket close code to the room's next step. Unknown codes retry. */
export function closeAction(code: number): CloseAction {
  return BY_CODE.get(code) ?? 'retry';
}
