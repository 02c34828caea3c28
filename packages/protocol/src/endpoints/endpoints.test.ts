import { describe, expect, it } from 'vitest';
import { ACCESS_KINDS, buildPath, ENDPOINTS, pathParams, type EndpointSpec } from './index.ts';

const entries = Object.entries(ENDPOINTS) as [string, EndpointSpec][];

describe('the endpoint table', () => {
  it.each(entries)('%s: every path parameter is in its params schema and back', (_name, e) => {
    const declared = Object.keys(
      (e.params as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
    );
    expect(pathParams(e.path).sort()).toEqual(declared.sort());
  });

  it('declares each method and path once', () => {
    const keys = entries.map(([, e]) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses every access kind, and only the staff-without-place option on participant routes', () => {
    expect(new Set(entries.map(([, e]) => e.access))).toEqual(new Set(ACCESS_KINDS));
    for (const [name, e] of entries) {
      if (e.staffWithoutPlace || e.websocket) expect(e.access, name).toBe('participant');
    }
  });

  it('builds paths with every parameter percent-encoded, and refuses a missing one', () => {
    expect(buildPath(ENDPOINTS.updateMember.path, { id: 'a/b', memberId: 'c d' })).toBe(
      '/api/networks/a%2Fb/members/c%20d',
    );
    expect(() => buildPath(ENDPOINTS.network.path, {})).toThrow(/:id/);
  });
});
