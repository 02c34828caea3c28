import type { BodyOf, EndpointName, Endpoints, ParamsOf, QueryOf } from '@polyphony/protocol';
import { ROUTES } from 'virtual:endpoints';

// Paths from the endpoint table, without the client: the pre-join page builds its two calls'
// paths here and keeps its own small fetch (its JavaScript budget, ADR 0012).

type Part<K extends string, T> = [T] extends [undefined]
  ? { readonly [P in K]?: never }
  : { readonly [P in K]: T };

/** What a call of endpoint `N` takes: its path parameters, query and body, as the table says. */
export type EndpointInput<N extends EndpointName> = Part<'params', ParamsOf<Endpoints[N]>> &
  Part<'query', QueryOf<Endpoints[N]>> &
  Part<'body', BodyOf<Endpoints[N]>>;

/**
 * The table's path with its `:name` parameters filled in, each percent-encoded (the protocol's
 * `buildPath`, which the browser does not import: the protocol's index loads TypeBox).
 */
function buildPath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** The address of endpoint `N` on this origin, with its parameters and query filled in. */
export function endpointPath<N extends EndpointName>(
  name: N,
  input: Pick<EndpointInput<N>, 'params' | 'query'>,
): string {
  const path = buildPath(ROUTES[name].path, input.params as Record<string, string> | undefined);
  const query = input.query as Record<string, string | undefined> | undefined;
  const pairs = Object.entries(query ?? {}).filter(
    (pair): pair is [string, string] => pair[1] !== undefined,
  );
  return pairs.length === 0 ? path : `${path}?${new URLSearchParams(pairs).toString()}`;
}
