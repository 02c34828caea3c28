// `pnpm bench <name>`: runs bench/<name>.bench.ts against the real components.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, installDependencies, ROOT } from './lib/bootstrap.mjs';

const name = process.argv[2];
const available = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <name>   (one of: ${available.join(', ')})\n`);
  process.exit(2);
}
const env = bootstrap();
if (!existsSync(join(ROOT, 'node_modules'))) installDependencies(env);
const r = spawnSync(
  env.POLYPHONY_NODE,
  ['--import', 'tsx', join(ROOT, 'bench', `${name}.bench.ts`), ...process.argv.slice(3)],
  {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
