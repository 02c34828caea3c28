/**
 * Every error code a client can see. One union, mapped once to an HTTP status
 * (here) and to UI text (the web app's message catalogue, key `error_<code lower>`).
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  /** One's current password, asked for when changing it, was not right. */
  WRONG_PASSWORD: 403,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  ORIGIN_REJECTED: 403,
  ROLE_NOT_ALLOWED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SETUP_ALREADY_DONE: 409,
  EMAIL_TAKEN: 409,
  /** The organisation's last enabled admin cannot be disabled. */
  LAST_ADMIN: 409,
  /** The network's care episode is closed: it takes no new members, meetings or team. */
  EPISODE_CLOSED: 409,
  CENTRE_ALREADY_SET: 409,
  ALREADY_INVITED: 409,
  MEETING_ENDED: 409,
  NAME_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  LINK_INVALID: 404,
  NOT_A_PARTICIPANT: 403,
  NOT_ADMITTED: 403,
  TARGET_PROTECTED: 403,
  LINK_REVOKED: 403,
  MOVED_TO_ANOTHER_DEVICE: 403,
  UNKNOWN_PARTICIPANT: 404,
  TARGET_NOT_FOUND: 404,
  TARGET_REQUIRED: 400,
  SELF_TARGET: 400,
  INVALID_INPUT: 400,
  TARGET_NOT_WAITING: 409,
  TARGET_NOT_ADMITTED: 409,
  NOT_IN_REFLECTION: 409,
  MODE_NOT_ALLOWED: 409,
  CONSENT_NOT_NEEDED: 409,
  KNOCK_TOO_SOON: 429,
  MAIL_NOT_CONFIGURED: 409,
  MAIL_FAILED: 502,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  /**
   * The database cannot be reached or timed out: nothing is wrong with the request; try again
   * after `Retry-After` seconds. A call in progress (its media) is not affected.
   */
  DATABASE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** Whom to ask, on a link that cannot be used (see `ErrorResponse`). */
    readonly contact?: string;
  };
}
