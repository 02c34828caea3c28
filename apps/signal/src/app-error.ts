import type { ErrorCode } from '@polyphony/protocol';

/** An expected failure with a client-facing code; mapped to a status once, in plugins/errors. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
