import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current directory. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const SIGNAL_ENTRY = join(ROOT, 'apps/signal/src/server.ts');
export const WEB_ENTRY = join(ROOT, 'apps/web/server.js');
export const SEED_ENTRY = join(ROOT, 'apps/signal/src/testing/seed-cli.ts');
