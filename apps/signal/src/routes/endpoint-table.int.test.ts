// The endpoint table is the whole API: every route the app registers comes from it, every entry
// is registered, and the OpenAPI document is generated from it.
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { ENDPOINTS, type EndpointSpec } from '@polyphony/protocol';
import { useTestApp } from '../testing/use-test-app.ts';

const TABLE = Object.entries(ENDPOINTS) as [string, EndpointSpec][];
const key = (method: string, path: string) => `${method} ${path}`;
const openapiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe.each(testDatabaseTargets().slice(0, 1))('the endpoint table on $name', (target) => {
  const t = useTestApp(target);

  it('registers every table entry, and no route outside the table', () => {
    const registered = t.app.registeredRoutes
      .filter((r) => r.method !== 'HEAD')
      .map((r) => key(r.method, r.url));
    expect(registered.sort()).toEqual(TABLE.map(([, e]) => key(e.method, e.path)).sort());
  });

  it('publishes one OpenAPI operation per table entry, named and documented from it', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => method !== 'head')
        .map(([method, op]) => ({ key: key(method.toUpperCase(), path), op })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual(
      TABLE.map(([, e]) => key(e.method, openapiPath(e.path))).sort(),
    );
    for (const [name, e] of TABLE) {
      const op = doc.paths[openapiPath(e.path)]![e.method.toLowerCase()]!;
      expect(op).toMatchObject({ operationId: name, summary: e.summary });
    }
  });
});
