/**
 * How a refusal should be treated by the caller: the signal service maps each kind once to an
 * HTTP status and a WebSocket close code (forbidden 403, not_found 404, conflict 409,
 * rate_limited 429, invalid 400).
 */
export type ErrorKind = 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'invalid';

/**
 * Every reason the domain refuses a command. Expected failures are values, never exceptions,
 * so every caller must handle them; the exhaustive table makes a new code fail compilation
 * until it has a kind.
 */
export const DOMAIN_ERROR_KIND = {
  /** The actor's role may not do this. */
  FORBIDDEN: 'forbidden',
  /** The actor's role may do this, but only once admitted (or at least in the lobby). */
  NOT_ADMITTED: 'forbidden',
  /** The target may not be turned away by this actor (e.g. the centre person, by anyone). */
  TARGET_PROTECTED: 'forbidden',
  /** This device's place moved to another device of the same person: it acts no more. */
  MOVED_TO_ANOTHER_DEVICE: 'forbidden',
  /** The invite link was revoked: no more knocking. */
  LINK_REVOKED: 'forbidden',
  /** The actor is not a participant of this meeting. */
  UNKNOWN_PARTICIPANT: 'not_found',
  /** The target is not a participant of this meeting. */
  TARGET_NOT_FOUND: 'not_found',
  /** The command needs a target and none was given. */
  TARGET_REQUIRED: 'invalid',
  /** Acting on oneself this way makes no sense (use leave to go). */
  SELF_TARGET: 'invalid',
  /** Input the protocol schemas should have refused (empty text, unknown kind, too many names). */
  INVALID_INPUT: 'invalid',
  /** The target is not in the lobby any more (already admitted, declined or gone). */
  TARGET_NOT_WAITING: 'conflict',
  /** The target is not in the room. */
  TARGET_NOT_ADMITTED: 'conflict',
  /** A wish to respond can only be raised during a reflection. */
  NOT_IN_REFLECTION: 'conflict',
  /** No transition leads from the current mode to the requested one. */
  MODE_NOT_ALLOWED: 'conflict',
  /** The meeting has ended; nothing changes any more. */
  MEETING_ENDED: 'conflict',
  /** This participant id is already in the meeting. */
  ALREADY_INVITED: 'conflict',
  /** A meeting has at most one person at the centre. */
  CENTRE_ALREADY_SET: 'conflict',
  /** Pre-approval was recorded for someone who needs no consent, or there is no centre person. */
  CONSENT_NOT_NEEDED: 'conflict',
  /** Declined recently: knocking again is allowed from `retryAt`. */
  KNOCK_TOO_SOON: 'rate_limited',
} as const satisfies Record<string, ErrorKind>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_KIND;

/** A refused command. `retryAt` (epoch ms) is set only for `KNOCK_TOO_SOON`. */
export interface Rejection {
  readonly ok: false;
  readonly code: DomainErrorCode;
  readonly retryAt?: number;
}

/** Builds a {@link Rejection}; kept as a function so every refusal reads the same way. */
export function reject(code: DomainErrorCode, retryAt?: number): Rejection {
  return retryAt === undefined ? { ok: false, code } : { ok: false, code, retryAt };
}
