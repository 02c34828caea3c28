import { accept, type Outcome } from './outcome.ts';
import type { MeetingState } from './meeting-state.ts';
import { SERVER_ACTOR } from './meeting-events.ts';
import { PRESENCE } from './participant-state.ts';

/**
 * How long a live meeting may stay empty (nobody in its room, nothing in its log) before it
 * ends itself: an immediate meeting nobody came to, or a room everyone left without ending it.
 */
export const IDLE_END_AFTER_MS = 60 * 60 * 1000;

/** Whether anyone is in the room now: admitted, and their connection not lost. */
export function isAnyonePresent(state: MeetingState): boolean {
  return state.participants.some((p) => PRESENCE[p.state] === 'media' && p.connection !== 'lost');
}

/**
 * Whether a live meeting is idle at `now`: nobody in its room, and nothing has happened in its
 * log since `quietSince` for at least `idleMs`.
 */
export function isIdle(
  state: MeetingState,
  quietSince: number,
  now: number,
  idleMs: number = IDLE_END_AFTER_MS,
): boolean {
  return state.status === 'live' && !isAnyonePresent(state) && now - quietSince >= idleMs;
}

/**
 * The server ends an idle meeting (`meeting.ended` by the server, reason `idle`). Someone in the
 * room, or a meeting that is not live, changes nothing: the server's view was out of date.
 */
export function endIdle(
  state: MeetingState,
  quietSince: number,
  idleMs: number,
  now: number,
): Outcome {
  if (!isIdle(state, quietSince, now, idleMs)) return accept();
  return accept({ type: 'meeting.ended', at: now, by: SERVER_ACTOR, reason: 'idle' });
}
