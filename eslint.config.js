// Lint gates for the whole repository. Warnings are errors (`--max-warnings 0`).
// The import-boundary rules encode docs/architecture.md: domain ← protocol ← apps;
// db only from apps/signal; livekit-server-sdk only in signal's livekit plugin;
// livekit-client only in the web app's room folder; neither app imports the other.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'url',
];
const SERVER_LIBS = [
  'fastify',
  '@fastify/*',
  'postgres',
  'drizzle-orm',
  'drizzle-orm/*',
  '@electric-sql/*',
  'pino',
];

/** `no-restricted-imports` with one message per forbidden group. */
function forbid(groups) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: groups.map(([group, message]) =>
          typeof group === 'string' ? { regex: group, message } : { group, message },
        ),
      },
    ],
  };
}

const NO_LIVEKIT_SERVER = [
  ['livekit-server-sdk', 'livekit-server-sdk belongs in apps/signal/src/plugins/livekit*.'],
];
const NO_LIVEKIT_CLIENT = [['livekit-client', 'livekit-client belongs in apps/web/src/lib/room/.']];
const NO_DB = [['@polyphony/db', '@polyphony/db is used only by apps/signal.']];
const NO_APPS = [
  ['@polyphony/signal', '@polyphony/signal/*', '@polyphony/web', '@polyphony/web/*'],
  'Apps are not imported by other code.',
];

/** Who is calling is decided once, by the access hooks (plugins/access.ts, ADR 0007). */
const FRONT_DOOR = {
  'no-restricted-syntax': [
    'error',
    {
      selector: "MemberExpression[property.name='cookies']",
      message: 'Only plugins/access.ts reads cookies: use request.actor.',
    },
    {
      selector: "MemberExpression[object.name='request'][property.name='headers']",
      message:
        'Only plugins/access.ts reads CSRF, Origin and other credentials: use request.actor.',
    },
  ],
};

/** The web builds every API path from the endpoint table (src/lib/api/endpoints.ts). */
const NO_API_PATHS = {
  'no-restricted-syntax': [
    'error',
    {
      selector: 'Literal[value=/^\\/api(\\/|$)/]',
      message: 'Build API paths from the endpoint table ($lib/api/endpoints.ts).',
    },
    {
      selector: 'TemplateElement[value.raw=/^\\/api(\\/|$)/]',
      message: 'Build API paths from the endpoint table ($lib/api/endpoints.ts).',
    },
  ],
};

/** @type {import('eslint').Linter.Config[]} */
export const boundaries = [
  {
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: forbid([
      [
        '^(?!\\.{1,2}/)',
        'The domain is pure: no imports outside packages/domain (no I/O, no dependencies).',
      ],
    ]),
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: forbid([
      NO_APPS,
      ...NO_DB,
      ...NO_LIVEKIT_SERVER,
      ...NO_LIVEKIT_CLIENT,
      [SERVER_LIBS, 'The protocol package holds schemas only.'],
      [NODE_BUILTINS, 'The protocol package is shared with the browser: no Node built-ins.'],
    ]),
  },
  {
    files: ['packages/db/src/**/*.ts'],
    rules: forbid([NO_APPS, ...NO_LIVEKIT_SERVER, ...NO_LIVEKIT_CLIENT]),
  },
  {
    files: ['apps/web/**/*.{ts,js,svelte}'],
    ignores: ['apps/web/src/lib/room/**', 'apps/web/e2e/**'],
    rules: forbid([
      NO_APPS,
      ...NO_DB,
      ...NO_LIVEKIT_SERVER,
      ...NO_LIVEKIT_CLIENT,
      [SERVER_LIBS, 'The web app talks to the signal service over HTTP, never to the database.'],
    ]),
  },
  {
    files: ['apps/web/src/lib/room/**/*.{ts,svelte}'],
    rules: forbid([
      NO_APPS,
      ...NO_DB,
      ...NO_LIVEKIT_SERVER,
      [SERVER_LIBS, 'No server code in the browser.'],
    ]),
  },
  {
    files: ['apps/signal/**/*.ts'],
    ignores: ['apps/signal/src/plugins/livekit*'],
    rules: forbid([
      [['@polyphony/web', '@polyphony/web/*'], 'Apps are not imported by other code.'],
      ...NO_LIVEKIT_SERVER,
      ...NO_LIVEKIT_CLIENT,
    ]),
  },
  {
    files: ['apps/signal/src/plugins/livekit*'],
    rules: forbid([
      [['@polyphony/web', '@polyphony/web/*'], 'Apps are not imported by other code.'],
      ...NO_LIVEKIT_CLIENT,
    ]),
  },
  {
    files: ['apps/signal/src/**/*.ts'],
    ignores: ['apps/signal/src/plugins/access.ts', '**/*.test.ts', 'apps/signal/src/testing/**'],
    rules: FRONT_DOOR,
  },
  {
    files: ['apps/web/src/**/*.{ts,svelte}'],
    ignores: ['**/*.test.ts'],
    rules: NO_API_PATHS,
  },
];

export default ts.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.svelte-kit/**',
      '**/build/**',
      '**/dist/**',
      '**/coverage/**',
      '.tools/**',
      '.data/**',
      'test-results/**',
      'bench/results/**',
      'packages/db/migrations/**',
      'apps/web/src/lib/paraglide/**',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.ts',
            'packages/*/*.ts',
            'apps/signal/*.ts',
            'apps/web/vitest.config.ts',
            'infra/*/*.ts',
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 30,
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}', 'eslint.config.js'],
    ...ts.configs.disableTypeChecked,
  },
  ...boundaries,
);
