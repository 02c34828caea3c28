// `npm start`: bootstrap the toolchain, install, build, then run the whole product on loopback.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap, installDependencies, ROOT } from './lib/bootstrap.mjs';

const env = bootstrap();
installDependencies(env);

process.stderr.write('[start] building the web app…\n');
const build = spawnSync('pnpm', ['--filter', '@polyphony/web', 'build'], {
  cwd: ROOT,
  env,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout}\n${build.stderr}\n`);
  process.stderr.write('\nPolyphony cannot start: the web app did not build (see above).\n');
  process.exit(1);
}

const child = spawn(
  env.POLYPHONY_NODE,
  ['--import', 'tsx', join(ROOT, 'infra/stack/src/run-product.ts')],
  {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
