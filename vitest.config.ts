import { defineConfig } from 'vitest/config';

const INT = '**/*.int.test.ts';

/**
 * Every vitest run of the repository. `infra/scripts/test.mjs` runs each project on its own
 * so the summary can say which tier failed. The domain package runs with its own config too
 * (100% coverage thresholds).
 */
/**
 * postgres.js runs a type query on each pool's first connection; a pool closed while that
 * query is in flight (a test's database dropped at teardown) rejects a promise the driver never
 * handles. Only that one driver error is not counted as a test failure; every other unhandled
 * error is. (A signal process meeting it would exit: noted in the session's closing note.)
 */
function isDriverTypeFetchClosed(error: unknown): boolean {
  const e = error as { code?: unknown; query?: unknown };
  return e.code === 'CONNECTION_CLOSED' && String(e.query ?? '').includes('pg_catalog.pg_type');
}

export default defineConfig({
  test: {
    onUnhandledError: (error) => (isDriverTypeFetchClosed(error) ? false : undefined),
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/signal/src/**/*.test.ts',
            'infra/**/*.test.ts',
            'bench/lib/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', INT, 'packages/domain/**'],
        },
      },
      'apps/web/vitest.config.{ts,js}',
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['packages/*/src/' + INT, 'apps/signal/src/' + INT, 'infra/' + INT],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
