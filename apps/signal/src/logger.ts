import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import type { LogLevel } from './config.ts';

/**
 * Anything that could carry a secret or a person's name is removed before a line is written.
 * Request lines carry the route pattern, never the raw URL (invite tokens live in paths).
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'cookie',
  'authorization',
  'token',
  'sessionToken',
  'displayName',
  'name',
  'email',
  'password',
  'passwordHash',
  'body',
  'params',
  'query',
  '*.token',
  '*.sessionToken',
  '*.displayName',
  '*.name',
  '*.email',
  '*.password',
  '*.passwordHash',
  '*.body',
  '*.params',
  '*.query',
];

export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, route: req.routeOptions?.url ?? 'unmatched' };
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { req: serializeRequest as (req: unknown) => unknown, err: serializeError },
      base: { service: 'signal' },
    },
    destination,
  );
}

/**
 * Errors are logged by kind and place, without their message: driver errors quote the failing
 * query with its parameters, which can hold names and token hashes. The stack keeps only its
 * `at …` frames, because its first lines repeat the message.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const cause = err.cause instanceof Error ? err.cause : undefined;
  return {
    type: err.name,
    code: (err as { code?: unknown }).code,
    causeType: cause?.name,
    causeCode: (cause as { code?: unknown } | undefined)?.code,
    stack: err.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
  };
}
