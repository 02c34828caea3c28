import { ESLint } from 'eslint';
import svelteParser from 'svelte-eslint-parser';
import ts from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import config, { boundaries } from '../../eslint.config.js';
import { ROOT } from '../stack/src/paths.ts';

// Lints deliberately bad (and good) source text at virtual paths with the repository's own
// boundary rules, so a rule that stops firing fails here.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.js'], languageOptions: { parser: ts.parser } },
    {
      files: ['**/*.svelte'],
      languageOptions: { parser: svelteParser, parserOptions: { parser: ts.parser } },
    },
    ...boundaries,
  ],
});

async function restricted(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

const CASES: readonly [path: string, importFrom: string, forbidden: boolean][] = [
  ['packages/domain/src/x.ts', './roles.ts', false],
  ['packages/domain/src/x.ts', '../src/modes.ts', false],
  ['packages/domain/src/x.ts', 'node:fs', true],
  ['packages/domain/src/x.ts', 'typebox', true],
  ['packages/domain/src/x.ts', '@polyphony/protocol', true],
  ['packages/protocol/src/x.ts', '@polyphony/domain', false],
  ['packages/protocol/src/x.ts', '@polyphony/db', true],
  ['packages/protocol/src/x.ts', 'livekit-server-sdk', true],
  ['packages/protocol/src/x.ts', 'node:crypto', true],
  ['packages/db/src/x.ts', 'livekit-client', true],
  ['apps/web/src/routes/x.ts', '@polyphony/protocol', false],
  ['apps/web/src/routes/x.ts', 'livekit-client', true],
  ['apps/web/src/lib/components/x.svelte', 'livekit-client', true],
  ['apps/web/src/lib/room/livekit-adapter.ts', 'livekit-client', false],
  ['apps/web/src/lib/room/x.ts', 'livekit-server-sdk', true],
  ['apps/web/src/lib/x.ts', '@polyphony/db', true],
  ['apps/web/src/lib/x.ts', 'drizzle-orm', true],
  ['apps/web/src/lib/x.ts', '@polyphony/signal', true],
  ['apps/signal/src/routes/x.ts', 'livekit-server-sdk', true],
  ['apps/signal/src/plugins/livekit.ts', 'livekit-server-sdk', false],
  ['apps/signal/src/routes/x.ts', '@polyphony/db', false],
  ['apps/signal/src/routes/x.ts', '@polyphony/web', true],
  ['apps/signal/src/routes/x.ts', 'livekit-client', true],
];

describe('import boundaries', () => {
  it.each(CASES)('%s importing %s: forbidden=%s', async (path, from, forbidden) => {
    const source = path.endsWith('.svelte')
      ? `<script lang="ts">import x from '${from}'; console.log(x);</script>`
      : `import x from '${from}';\nexport const y = x;\n`;
    const messages = await restricted(path, source);
    expect(messages.length > 0).toBe(forbidden);
  });

  const SYNTAX: readonly [path: string, source: string, forbidden: boolean][] = [
    [
      'apps/signal/src/routes/x.ts',
      'export const f = (request) => request.cookies.pp_guest;',
      true,
    ],
    [
      'apps/signal/src/routes/x.ts',
      "export const f = (request) => request.headers['x-csrf-token'];",
      true,
    ],
    ['apps/signal/src/record/x.ts', 'export const f = (request) => request.headers.origin;', true],
    ['apps/signal/src/routes/x.ts', 'export const f = (request) => request.actor;', false],
    ['apps/signal/src/plugins/access.ts', 'export const f = (request) => request.cookies;', false],
    ['apps/web/src/lib/api/x.ts', "export const p = '/api/networks';", true],
    ['apps/web/src/lib/room/x.ts', 'export const p = (id) => `/api/meetings/${id}/live`;', true],
    ['apps/web/src/routes/x.svelte', '<script lang="ts">const p = \'/api/me\';</script>', true],
    ['apps/web/src/lib/api/x.ts', "export const p = '/staff/sign-in';", false],
  ];

  it.each(SYNTAX)('%s: %s is forbidden=%s', async (path, source, forbidden) => {
    const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${path}` });
    const messages = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax');
    expect(messages.length > 0).toBe(forbidden);
  });

  it('the repository config applies the same boundary rules', () => {
    for (const block of boundaries) expect(config).toContain(block);
  });
});
