// `npm test`: bootstrap, install, then every check CI runs; ends with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, installDependencies, ROOT } from './lib/bootstrap.mjs';

const env = bootstrap();
installDependencies(env);

const only = process.argv[2]; // optional: run one step by name prefix (local use)
const outDir = join(ROOT, 'test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const PACKAGES = [
  '@polyphony/domain',
  '@polyphony/protocol',
  '@polyphony/db',
  '@polyphony/signal',
  '@polyphony/web',
  '@polyphony/stack',
  '@polyphony/bench',
];

/** @type {{ name: string, cmd: string[], vitest?: boolean }[]} */
const steps = [
  // Generated code the linter and type checker read (SvelteKit types, the message catalogue).
  { name: 'prepare', cmd: ['pnpm', '--filter', '@polyphony/web', 'run', 'prepare:generated'] },
  { name: 'format', cmd: ['pnpm', 'exec', 'prettier', '--check', '--log-level', 'warn', '.'] },
  { name: 'lint', cmd: ['pnpm', 'exec', 'eslint', '--max-warnings', '0', '.'] },
  ...PACKAGES.map((p) => ({
    name: `typecheck ${p}`,
    cmd: ['pnpm', '--filter', p, 'run', 'typecheck'],
  })),
  { name: 'build', cmd: ['pnpm', '--filter', '@polyphony/web', 'run', 'build'] },
  {
    name: 'domain',
    vitest: true,
    cmd: ['pnpm', '--filter', '@polyphony/domain', 'exec', 'vitest', 'run', '--coverage'],
  },
  {
    name: 'unit',
    vitest: true,
    cmd: ['pnpm', 'exec', 'vitest', 'run', '--project', 'unit', '--project', 'web'],
  },
  {
    name: 'integration',
    vitest: true,
    cmd: ['pnpm', 'exec', 'vitest', 'run', '--project', 'integration'],
  },
  { name: 'e2e', vitest: true, cmd: ['pnpm', 'exec', 'vitest', 'run', '--project', 'e2e'] },
];

if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  process.stderr.write(
    '\n[test] Chromium is missing: browser tests will fail. On Debian: apt-get install -y chromium\n\n',
  );
}

let passed = 0;
let failed = 0;
const lines = [];
for (const step of steps) {
  if (only && !step.name.startsWith(only)) continue;
  const started = Date.now();
  process.stderr.write(`\n[test] ── ${step.name} ──\n`);
  const [cmd, ...args] = step.cmd;
  const json = join(outDir, `${step.name.replace(/\W+/g, '-')}.json`);
  if (step.vitest) args.push('--reporter=default', '--reporter=json', `--outputFile.json=${json}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (step.vitest && existsSync(json)) {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const p = report.numPassedTests ?? 0;
    let f = report.numFailedTests ?? 0;
    // A suite that crashed outside a test (import error, hook failure) still fails the step.
    if (r.status !== 0 && f === 0) f = 1;
    if (p + f === 0) f = 1; // a tier that ran no test is a failure, not a pass
    passed += p;
    failed += f;
    lines.push(`${step.name}: ${p} passed, ${f} failed (${secs}s)`);
  } else if (r.status === 0) {
    passed += 1;
    lines.push(`${step.name}: ok (${secs}s)`);
  } else {
    failed += 1;
    lines.push(`${step.name}: FAILED (${secs}s)`);
  }
}

process.stdout.write(`\n${lines.join('\n')}\n\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
