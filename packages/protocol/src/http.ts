import { Type, type Static } from 'typebox';
import { ERROR_STATUS, type ErrorCode } from './errors.ts';

const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * The body of every error response. `contact`, on a link that cannot be used
 * (`LINK_INVALID`), says whom to ask for a new one: the organisation's contact, else the
 * operator's (`SUPPORT_CONTACT`); absent when neither is known.
 */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.Enum(ERROR_CODES),
    message: Type.String(),
    contact: Type.Optional(Type.String()),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

/**
 * `GET /api/health`: the process is alive (says nothing about dependencies). `instance` is the
 * id this start of the process was given (`INSTANCE_ID`), so whoever started it can check that
 * the answer comes from its own instance and not another one on the same port.
 */
export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  instance: Type.Optional(Type.String()),
});
export type HealthResponse = Static<typeof HealthResponse>;

const UpDown = Type.Union([Type.Literal('up'), Type.Literal('down')]);

/**
 * `GET /api/ready`: whether the service can take work; 503 when the database or LiveKit is down,
 * or while it drains before exiting (`draining: true`, present only then).
 */
export const ReadyResponse = Type.Object({
  database: UpDown,
  livekit: UpDown,
  draining: Type.Optional(Type.Literal(true)),
});
export type ReadyResponse = Static<typeof ReadyResponse>;
