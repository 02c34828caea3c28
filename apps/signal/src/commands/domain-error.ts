import type { DomainErrorCode, Rejection } from '@polyphony/domain';
import type { ErrorCode } from '@polyphony/protocol';
import { AppError } from '../app-error.ts';

/** Plain words for each refusal; the web app shows its own catalogue text by code. */
const MESSAGES = {
  FORBIDDEN: 'Your role in this meeting does not allow this.',
  NOT_ADMITTED: 'You can do this once you are in the meeting.',
  TARGET_PROTECTED: 'This person cannot be turned away.',
  LINK_REVOKED: 'This link is no longer valid.',
  MOVED_TO_ANOTHER_DEVICE: 'You joined this meeting on another device.',
  UNKNOWN_PARTICIPANT: 'You are not part of this meeting.',
  TARGET_NOT_FOUND: 'That person is not part of this meeting.',
  TARGET_REQUIRED: 'Say who this is about.',
  SELF_TARGET: 'You cannot do this to yourself.',
  INVALID_INPUT: 'Some of what was sent is not valid.',
  TARGET_NOT_WAITING: 'That person is no longer waiting.',
  TARGET_NOT_ADMITTED: 'That person is not in the room.',
  NOT_IN_REFLECTION: 'This is possible only during a reflection.',
  MODE_NOT_ALLOWED: 'The meeting cannot switch to that mode now.',
  MEETING_ENDED: 'The meeting has ended.',
  ALREADY_INVITED: 'This person is already invited.',
  CENTRE_ALREADY_SET: 'This meeting already has a person at the centre.',
  CONSENT_NOT_NEEDED: 'No consent is needed for this person.',
  KNOCK_TOO_SOON: 'Please wait a little before knocking again.',
} as const satisfies Record<DomainErrorCode, string>;

/** A refused command as a coded error; every domain code is also a protocol code. */
export class DomainRefusal extends AppError {
  constructor(readonly rejection: Rejection) {
    const code: ErrorCode = rejection.code;
    super(code, MESSAGES[rejection.code]);
    this.name = 'DomainRefusal';
  }

  /** Seconds until knocking is allowed again, for `Retry-After`. */
  retryAfterSeconds(now: number): number | null {
    const at = this.rejection.retryAt;
    return at === undefined ? null : Math.max(1, Math.ceil((at - now) / 1000));
  }
}
