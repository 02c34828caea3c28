import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailableCode } from '@polyphony/db';
import { ERROR_STATUS, type ErrorCode, type ErrorResponse } from '@polyphony/protocol';
import { AppError } from '../app-error.ts';

/** Fastify's own 4xx errors, by status, as our codes. */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * What we say for errors we did not raise ourselves. Never the framework's or a parser's own
 * message: those quote the path, the content type or the body back.
 */
const FIXED_MESSAGE = {
  BAD_REQUEST: 'This request could not be read.',
  UNAUTHENTICATED: 'Please sign in.',
  FORBIDDEN: 'This is not allowed.',
  NOT_FOUND: 'There is nothing at this address.',
  CONFLICT: 'This has already changed.',
  PAYLOAD_TOO_LARGE: 'This is too large to send.',
  RATE_LIMITED: 'Too many requests. Wait a minute and try again.',
  UNAVAILABLE: 'The service is briefly unavailable.',
} as const satisfies Partial<Record<ErrorCode, string>>;

function fixedMessage(code: ErrorCode): string {
  return (FIXED_MESSAGE as Partial<Record<ErrorCode, string>>)[code] ?? FIXED_MESSAGE.BAD_REQUEST;
}

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  contact: string | null = null,
) {
  const body: ErrorResponse = { error: { code, message, ...(contact ? { contact } : {}) } };
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send(body);
}

/** Seconds a client should wait before trying again while the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 5;

/** Where a validation failure was, by schema path only (never the refused value). */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
  return `The request does not fit its schema at ${where} (${first?.keyword ?? 'invalid'}).`;
}

/**
 * Errors Fastify raises before a route is found (a path that is not valid percent-encoding, a
 * parameter over the router's length limit): the same coded shape, without the path.
 */
export function frameworkErrors(
  _error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  void sendError(reply, 'BAD_REQUEST', 'This address is not valid.');
}

const UNREADABLE = JSON.stringify({
  error: { code: 'BAD_REQUEST', message: FIXED_MESSAGE.BAD_REQUEST },
} satisfies ErrorResponse);

/** Requests Node's HTTP parser cannot read at all: a coded 400, then the socket closes. */
export function clientErrorHandler(_error: Error, socket: Socket) {
  if (socket.writable) {
    socket.end(
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(UNREADABLE)}\r\n\r\n${UNREADABLE}`,
    );
  } else {
    socket.destroy();
  }
}

/** The one error handler: every failure becomes `{ error: { code, message } }`, never a stack. */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return sendError(reply, error.code, error.message, error.contact);
      }
      if (error.validation) {
        return sendError(reply, 'VALIDATION_FAILED', validationMessage(error));
      }
      const status = error.statusCode ?? 500;
      if (status < 500) {
        const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
        return sendError(reply, code, fixedMessage(code));
      }
      // The database is down or timed out: a fast, retryable answer. The log gets the driver's
      // code only, never the failed query or its parameters.
      const unavailable = databaseUnavailableCode(error);
      if (unavailable !== null) {
        request.log.warn({ code: unavailable }, 'database unavailable');
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
        return sendError(
          reply,
          'DATABASE_UNAVAILABLE',
          'The meeting controls are briefly unavailable; a call in progress continues. Try again shortly.',
        );
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, 'INTERNAL', 'Something went wrong on our side.');
    });
    app.setNotFoundHandler((_request, reply) =>
      sendError(reply, 'NOT_FOUND', FIXED_MESSAGE.NOT_FOUND),
    );
  },
  { name: 'errors' },
);
