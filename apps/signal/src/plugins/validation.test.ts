import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import validationPlugin, { outsideTheTable } from './validation.ts';

describe('routes outside the endpoint table', () => {
  it.each([
    [['GET'], '/api/health', 'health', null],
    [['HEAD'], '/api/health', 'health', null],
    [['POST'], '/api/health', 'health', 'not registered'],
    [['GET'], '/api/healthz', 'health', 'not registered'],
    [['GET'], '/api/health', undefined, 'not registered'],
    [['HEAD'], '/api/session', 'signIn', 'not registered'],
  ] as const)('%s %s as %s', (methods, url, name, problem) => {
    const found = outsideTheTable(methods, url, name);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it('stop the app from starting', async () => {
    const app = Fastify();
    await app.register(validationPlugin);
    await expect(
      app.register(async (scope) => {
        scope.get('/api/by-hand', async () => ({}));
      }),
    ).rejects.toThrow(/not registered from the endpoint table/);
  });
});
