import type { Static, TSchema } from 'typebox';

/**
 * Who may call an endpoint, resolved once by the signal's access hooks (ADR 0007):
 * - `operator`: probes, metrics and the API document; no identity;
 * - `public`: anyone; a state change must come from our pages (`Origin`);
 * - `staff`: a signed-in staff member; a state change carries the session's CSRF token;
 * - `admin`: a signed-in administrator (`mayManageStaff`), with the same CSRF rule;
 * - `participant`: the guest session of the meeting in the path, or a signed-in staff member
 *   with a place in it; a state change carries that session's CSRF token; the live channel
 *   (a WebSocket) checks `Origin` instead;
 * - `link`: whoever holds a personal link's token (the token in the path is the credential);
 *   a state change must come from our pages (`Origin`);
 * - `webhook`: LiveKit, proven by the signature of the body.
 */
export const ACCESS_KINDS = [
  'operator',
  'public',
  'staff',
  'admin',
  'participant',
  'link',
  'webhook',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One endpoint of the signal API: the single place its shape and its access are declared. */
export interface EndpointSpec {
  readonly method: HttpMethod;
  /** Fastify's path syntax (`:name` parameters); every parameter is in `params`. */
  readonly path: string;
  readonly access: AccessKind;
  /**
   * `participant` only: a signed-in staff member without a place in the meeting passes too
   * (entering it, or reading its record through the staff app); the handler asks the
   * organisation's rules about them.
   */
  readonly staffWithoutPlace?: true;
  /** The live channel: refusals become WebSocket close codes after the upgrade. */
  readonly websocket?: true;
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** The successful answers by status (errors are always `ErrorResponse`). */
  readonly responses: Readonly<Record<number, TSchema>>;
  /** A success that is not JSON (the schema then describes the text). */
  readonly produces?: 'text/calendar' | 'text/plain';
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
}

type SchemaOf<E, K extends string> = E extends { readonly [P in K]: infer S extends TSchema }
  ? Static<S>
  : undefined;

/** The path parameters of an endpoint (undefined when it has none). */
export type ParamsOf<E extends EndpointSpec> = SchemaOf<E, 'params'>;
export type QueryOf<E extends EndpointSpec> = SchemaOf<E, 'query'>;
export type BodyOf<E extends EndpointSpec> = SchemaOf<E, 'body'>;
/** Any successful answer's body (unknown where the table gives no schema). */
export type ResponseOf<E extends EndpointSpec> = [keyof E['responses']] extends [never]
  ? unknown
  : {
      [S in keyof E['responses']]: E['responses'][S] extends TSchema
        ? Static<E['responses'][S]>
        : never;
    }[keyof E['responses']];

/** The `:name` parameters of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

/** The path with its parameters filled in (each percent-encoded). */
export function buildPath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** State changes: what CSRF and Origin checks guard. */
export const UNSAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH', 'DELETE']);
