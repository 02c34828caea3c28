import { defineConfig } from 'vitest/config';

const INT = '**/*.int.test.ts';

/**
 * Every vitest run of the repository. `infra/scripts/test.mjs` runs each project on its own
 * so the summary can say which tier failed. The domain package runs with its own config too
 * (100% coverage thresholds).
 */
export default defineConfig({
  test: {
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
