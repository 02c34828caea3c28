import type { ErrorCode } from '@polyphony/protocol';

/** An expected failure with a client-facing code; mapped to a status once, in plugins/errors. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Whom to ask, on a link that cannot be used (`ErrorResponse.error.contact`). */
    readonly contact: string | null = null,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
