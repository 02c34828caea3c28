import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply } from 'fastify';
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

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  contact: string | null = null,
) {
  const body: ErrorResponse = { error: { code, message, ...(contact ? { contact } : {}) } };
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send(body);
}

/** The one error handler: every failure becomes `{ error: { code, message } }`, never a stack. */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return sendError(reply, error.code, error.message, error.contact);
      }
      if (error.validation) {
        return sendError(reply, 'VALIDATION_FAILED', error.message);
      }
      const status = error.statusCode ?? 500;
      if (status < 500) {
        const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
        return sendError(reply, code, error.message);
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, 'INTERNAL', 'Something went wrong on our side.');
    });
    app.setNotFoundHandler((_request, reply) =>
      sendError(reply, 'NOT_FOUND', 'There is nothing at this address.'),
    );
  },
  { name: 'errors' },
);
