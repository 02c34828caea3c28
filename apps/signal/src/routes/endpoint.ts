import { databaseUnavailableCode } from '@polyphony/db';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  preHandlerAsyncHookHandler,
} from 'fastify';
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  ENDPOINTS,
  ErrorResponse,
  type BodyOf,
  type EndpointName,
  type Endpoints,
  type EndpointSpec,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '@polyphony/protocol';
import { AppError } from '../app-error.ts';
import type { ActorOf } from '../plugins/actors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The table entry this route was registered from (`ENDPOINTS`). */
    endpoint?: EndpointName;
  }
}

/** A request to endpoint `N`: validated params, query and body, and who is calling. */
export type EndpointRequest<N extends EndpointName> = FastifyRequest<{
  Params: ParamsOf<Endpoints[N]>;
  Querystring: QueryOf<Endpoints[N]>;
  Body: BodyOf<Endpoints[N]>;
}> & { readonly actor: ActorOf<Endpoints[N]> };

export type EndpointHandler<N extends EndpointName> = (
  request: EndpointRequest<N>,
  reply: FastifyReply,
) => Promise<ResponseOf<Endpoints[N]> | FastifyReply>;

export interface EndpointOptions<N extends EndpointName> {
  /** Per-route settings (`rateLimit`). */
  readonly rateLimit?: { readonly max: number; readonly timeWindow: number };
  readonly preHandler?: preHandlerAsyncHookHandler;
  /** The live channel's handler, after the upgrade (`websocket` endpoints only). */
  readonly wsHandler?: (socket: WebSocket, request: EndpointRequest<N>) => void;
}

/** Every route answers failures with the error body (status and code from `ERROR_STATUS`). */
export const ERROR_RESPONSES = { '4xx': ErrorResponse, '5xx': ErrorResponse } as const;

/** The Fastify schema of a table entry: validation, serialisation and the OpenAPI operation. */
export function routeSchema(name: EndpointName): FastifySchema {
  const e: EndpointSpec = ENDPOINTS[name];
  const response: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(e.responses)) {
    response[status] = e.produces
      ? {
          description: (schema as { description?: string }).description ?? e.summary,
          content: { [e.produces]: { schema } },
        }
      : schema;
  }
  return {
    operationId: name,
    summary: e.summary,
    description: `${e.description ? `${e.description} ` : ''}Access: \`${e.access}\`.`,
    tags: [...e.tags],
    ...(e.params ? { params: e.params } : {}),
    ...(e.query ? { querystring: e.query } : {}),
    ...(e.body ? { body: e.body } : {}),
    ...(e.produces ? { produces: [e.produces] } : {}),
    response: { ...response, ...ERROR_RESPONSES },
  } as FastifySchema;
}

/**
 * Registers the handler of one table entry: its method, path and schemas come from the table,
 * and the access hooks (`plugins/access.ts`) have resolved `request.actor` before it runs.
 * Adding an endpoint is one table entry and one call of this.
 */
export function endpoint<N extends EndpointName>(
  app: FastifyInstance,
  name: N,
  handler: EndpointHandler<N>,
  options: EndpointOptions<N> = {},
): void {
  const e: EndpointSpec = ENDPOINTS[name];
  app.route({
    method: e.method,
    url: e.path,
    schema: routeSchema(name),
    config: {
      endpoint: name,
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    },
    ...(options.preHandler ? { preHandler: options.preHandler } : {}),
    handler: handler as unknown as (
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<unknown>,
    ...(options.wsHandler ? { wsHandler: refusingLive(options.wsHandler) } : {}),
  });
}

/** How the live channel closes when the access hook refused the caller. */
const LIVE_REFUSALS: Readonly<Record<string, readonly [number, string]>> = {
  ORIGIN_REJECTED: [CLOSE_CODES.FORBIDDEN, 'origin not allowed'],
  NOT_FOUND: [CLOSE_CODES.NOT_FOUND, 'not found'],
  UNAUTHENTICATED: [CLOSE_CODES.UNAUTHENTICATED, 'not signed in'],
  NOT_A_PARTICIPANT: [CLOSE_CODES.FORBIDDEN, 'not your meeting'],
};

/** A live handler that first answers the access hook's refusal, if any, with a close code. */
function refusingLive<N extends EndpointName>(
  handler: (socket: WebSocket, request: EndpointRequest<N>) => void,
) {
  return (socket: WebSocket, request: FastifyRequest): void => {
    const refusal = request.accessRefusal;
    if (refusal === null) return handler(socket, request as EndpointRequest<N>);
    const known = refusal instanceof AppError ? LIVE_REFUSALS[refusal.code] : undefined;
    if (known) return socket.close(known[0], known[1]);
    // The database is briefly gone: try again later, nothing is wrong with the caller (ADR 0018).
    const unavailable = databaseUnavailableCode(refusal);
    if (unavailable !== null) {
      request.log.warn({ code: unavailable }, 'live channel: database unavailable');
      return socket.close(CLOSE_CODES.TRY_AGAIN_LATER, 'try again later');
    }
    request.log.error({ err: refusal }, 'live authentication failed');
    socket.close(1011, 'internal error');
  };
}
