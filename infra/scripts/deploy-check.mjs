// Builds the offline deployment checker (infra/deploy/check, Go) once per version of its
// sources into .tools/bin, then runs it from the repository root. Its last line is
// `N passed, N failed` (docs/deploy.md, ADR 0023). Used by `npm test`; runs alone too.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, TOOLS } from './lib/bootstrap.mjs';

const SRC = join(ROOT, 'infra/deploy/check');
const BIN_DIR = join(TOOLS, 'bin');

/** Every file the binary is built from (Go sources, go.mod/go.sum, embedded test data). */
function sources(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : [path];
    });
}

const hash = createHash('sha256');
for (const file of sources(SRC)) {
  hash.update(relative(SRC, file)).update('\0').update(readFileSync(file)).update('\0');
}
const version = hash.digest('hex').slice(0, 16);
const bin = join(BIN_DIR, `deploy-check-${version}`);

if (existsSync(bin)) {
  process.stderr.write(`[deploy-check] reusing ${relative(ROOT, bin)}\n`);
} else {
  process.stderr.write(
    '[deploy-check] building the checker (Helm, Kubernetes API types, compose-go)…\n',
  );
  mkdirSync(BIN_DIR, { recursive: true });
  for (const old of readdirSync(BIN_DIR).filter((n) => n.startsWith('deploy-check-'))) {
    rmSync(join(BIN_DIR, old), { force: true });
  }
  const started = Date.now();
  const goflags = [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' ');
  const build = spawnSync('go', ['build', '-o', bin, '.'], {
    cwd: SRC,
    env: { ...process.env, GOFLAGS: goflags },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.error || build.status !== 0) {
    rmSync(bin, { force: true });
    process.stderr.write(
      `[deploy-check] go build failed${build.error ? `: ${build.error.message} (is Go installed?)` : ''}\n`,
    );
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
  process.stderr.write(`[deploy-check] built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const run = spawnSync(bin, process.argv.slice(2), { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
