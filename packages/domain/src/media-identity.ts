import { PRESENCE } from './participant-state.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';

/** A LiveKit identity taken apart. */
export interface MediaIdentity {
  readonly participantId: string;
  readonly admissionNumber: number;
}

const SEPARATOR = '.';
const CANONICAL_NUMBER = /^[1-9][0-9]*$/;

/**
 * The LiveKit identity for one admission: participant id, a dot, admission number (`p1.2`).
 * Parsing reads the number after the last dot, so ids may contain dots. Each admission
 * gets a new number, so a captured or refreshed token from an earlier admission names an
 * identity that is never current again and the reconcile loop removes it.
 */
export function mediaIdentity(participantId: string, admissionNumber: number): string {
  return `${participantId}${SEPARATOR}${admissionNumber}`;
}

/**
 * Reads an identity made by {@link mediaIdentity}; `null` for anything else (a LiveKit
 * participant we did not issue a token to). Only the canonical form parses, so one admission has
 * exactly one identity string.
 */
export function parseMediaIdentity(identity: string): MediaIdentity | null {
  const at = identity.lastIndexOf(SEPARATOR);
  if (at <= 0) return null;
  const digits = identity.slice(at + 1);
  if (!CANONICAL_NUMBER.test(digits)) return null;
  const admissionNumber = Number(digits);
  if (!Number.isSafeInteger(admissionNumber)) return null;
  return { participantId: identity.slice(0, at), admissionNumber };
}

/** The identity a participant may hold in LiveKit right now, or `null` if none. */
export function currentIdentity(participant: Participant): string | null {
  if (PRESENCE[participant.state] !== 'media') return null;
  return mediaIdentity(participant.id, participant.admissionNumber);
}

/**
 * Whether a LiveKit participant with this identity may stay in the room: it must be the current
 * admission of a participant who is admitted now. Anything else (unknown, stepped out, an old
 * admission number, a meeting that ended) must be removed at once and the removal logged.
 */
export function isIdentityCurrent(state: MeetingState, identity: string): boolean {
  const parsed = parseMediaIdentity(identity);
  if (parsed === null) return false;
  const participant = findParticipant(state, parsed.participantId);
  if (participant === undefined) return false;
  return currentIdentity(participant) === identity;
}

/** Every identity that may be in the LiveKit room now: what the reconcile loop compares with. */
export function currentIdentities(state: MeetingState): readonly string[] {
  return state.participants.flatMap((p) => {
    const identity = currentIdentity(p);
    return identity === null ? [] : [identity];
  });
}
