import { admissionBasis, admissionStatus } from './admission-rules.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';
import { reduce } from './reduce.ts';
import type { Rejection } from './result.ts';

/** What a command handler returns: the events it decided, or a coded refusal. */
export type Outcome = { readonly ok: true; readonly events: readonly MeetingEvent[] } | Rejection;

/** An accepted command; no events means it changed nothing (a harmless repeat). */
export function accept(...events: readonly MeetingEvent[]): Outcome {
  return { ok: true, events };
}

/**
 * Appends the admission if, after `events`, the participant is in the lobby with every needed
 * key turned. Called after anything that can turn the last key (a knock, an admit, a consent,
 * a pre-approval, a companion leaving), so the door opens in the same step as the last key.
 * The first admission of the meeting also starts it.
 */
export function admitIfReady(
  state: MeetingState,
  events: readonly MeetingEvent[],
  participantId: string,
  now: number,
): Outcome {
  const next = events.reduce(reduce, state);
  const p = findParticipant(next, participantId);
  if (p === undefined || PRESENCE[p.state] !== 'lobby' || !admissionStatus(next, p).ready) {
    return accept(...events);
  }
  const admitted: MeetingEvent = {
    type: 'participant.admitted',
    at: now,
    participantId,
    admissionNumber: p.admissionNumber + 1,
    basis: admissionBasis(next, p),
  };
  if (next.status !== 'scheduled') return accept(...events, admitted);
  return accept(...events, { type: 'meeting.started', at: now, by: participantId }, admitted);
}
