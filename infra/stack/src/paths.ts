import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const SIGNAL_ENTRY = join(ROOT, 'apps/signal/src/server.ts');
export const WEB_ENTRY = join(ROOT, 'apps/web/server.js');
export const SEED_ENTRY = join(ROOT, 'apps/signal/src/testing/seed-cli.ts');

/**
 * Where the web build (the one the stack serves) put the chunk of a source module, read from
 * Vite's client manifest: `source` is the manifest's key, or a test on it.
 */
export function builtWebFile(source: string | ((key: string) => boolean)): string {
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'apps/web/.svelte-kit/output/client/.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string }>;
  const matches = typeof source === 'string' ? (key: string) => key === source : source;
  const entry = Object.entries(manifest).find(([key]) => matches(key));
  if (!entry) throw new Error(`${String(source)} is not in the web build`);
  return entry[1].file;
}
