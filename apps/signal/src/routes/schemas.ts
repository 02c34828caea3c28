import { ErrorResponse } from '@polyphony/protocol';

/** Every route answers failures with the error body (status and code from `ERROR_STATUS`). */
export const ERROR_RESPONSES = { '4xx': ErrorResponse, '5xx': ErrorResponse } as const;
