import type { EndpointName, Endpoints, ResponseOf } from '@polyphony/protocol';
import { ROUTES } from 'virtual:endpoints';
import { callApi, type ApiResult, type Check } from './client.ts';
import { endpointPath, type EndpointInput } from './paths.ts';

export { endpointPath, type EndpointInput } from './paths.ts';

/** The synchronizer-token header of every state change (ADR 0007). */
export const CSRF_HEADER = 'x-csrf-token';

/** The successful answer of endpoint `N`. */
export type EndpointResult<N extends EndpointName> = ResponseOf<Endpoints[N]>;

export interface CallOptions {
  /** The session's CSRF token, sent on every state change when the page has one. */
  readonly csrfToken?: string | null | undefined;
  readonly fetcher?: typeof fetch | undefined;
}

/**
 * The web app's one typed client of the signal API: the method and path come from the endpoint
 * table, the input is typed by its schemas, a state change carries the CSRF token, and the
 * answer is checked with the compiled check of the endpoint's response (a wrong check does not
 * compile).
 */
export function callEndpoint<N extends EndpointName>(
  name: N,
  input: EndpointInput<N>,
  response: Check<EndpointResult<N>>,
  { csrfToken = null, fetcher }: CallOptions = {},
): Promise<ApiResult<EndpointResult<N>>> {
  const { method } = ROUTES[name];
  const headers: Record<string, string> =
    method !== 'GET' && csrfToken !== null ? { [CSRF_HEADER]: csrfToken } : {};
  return callApi(
    {
      method,
      path: endpointPath(name, input as Pick<EndpointInput<N>, 'params' | 'query'>),
      body: input.body,
      headers,
      response,
    },
    fetcher,
  );
}
