import fp from 'fastify-plugin';
import type { FastifySchema } from 'fastify';
import { ENDPOINTS, type EndpointName } from '@polyphony/protocol';
import { strictBodyProblems } from './strict-body.ts';

/**
 * Why a route may not be registered: every route comes from its `ENDPOINTS` entry (through
 * `routes/endpoint.ts`), with that entry's method and path; Fastify's own HEAD twin of a GET is
 * the only addition.
 */
export function outsideTheTable(
  methods: readonly string[],
  url: string,
  name: EndpointName | undefined,
): string | null {
  const entry = name === undefined ? undefined : ENDPOINTS[name];
  const fits = methods.every(
    (m) =>
      entry &&
      entry.path === url &&
      (m === entry.method || (m === 'HEAD' && entry.method === 'GET')),
  );
  return fits ? null : `${methods.join(',')} ${url} is not registered from the endpoint table`;
}

/**
 * Fastify's Ajv without its lenient defaults (ADR 0015): no type coercion (`label: 123` is
 * refused, not stored as "123"), no silent removal of unknown properties (bodies refuse them
 * with `additionalProperties: false`), no defaults filled in.
 */
export const STRICT_AJV = {
  customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false },
} as const;

/** A route as it was registered: what tests walk to reach every endpoint. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after this plugin, in order. */
    registeredRoutes: readonly RegisteredRoute[];
  }
}

/**
 * Records every route and refuses, at boot, one whose body schema is lenient (allows unknown
 * properties or control characters): strictness is checked in one place, not trusted per route.
 */
export default fp(
  async (app) => {
    const routes: RegisteredRoute[] = [];
    app.decorate('registeredRoutes', routes);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) routes.push({ method, url: route.url, schema: route.schema });
      const problem = outsideTheTable(methods, route.url, route.config?.endpoint);
      if (problem) throw new Error(problem);
      if (route.schema?.body === undefined) return;
      const problems = strictBodyProblems(route.schema.body);
      if (problems.length > 0) {
        throw new Error(
          `${methods.join(',')} ${route.url} has a lenient body schema:\n${problems.join('\n')}`,
        );
      }
    });
  },
  { name: 'validation' },
);
