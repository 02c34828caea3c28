// `npm test`: bootstrap, install, then every check CI runs; ends with `N passed, N failed`.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, installDependencies, ROOT } from './lib/bootstrap.mjs';

const env = bootstrap();
installDependencies(env);

// optional: run only the steps whose names start with one of these comma-separated prefixes
const only = process.argv[2]?.split(',');
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

/**
 * Each step; the ones marked `parallel` that follow each other run at once (as many as the
 * machine has cores), their output shown whole as each ends. The test tiers run one by one.
 * A `counted` step prints its own `N passed, N failed` line, which is added to the totals.
 * @type {{ name: string, cmd: string[], vitest?: boolean, counted?: boolean, parallel?: boolean }[]}
 */
const steps = [
  // Generated code the linter and type checker read (SvelteKit types, the message catalogue).
  { name: 'prepare', cmd: ['pnpm', '--filter', '@polyphony/web', 'run', 'prepare:generated'] },
  {
    name: 'format',
    parallel: true,
    cmd: ['pnpm', 'exec', 'prettier', '--check', '--log-level', 'warn', '.'],
  },
  { name: 'lint', parallel: true, cmd: ['pnpm', 'exec', 'eslint', '--max-warnings', '0', '.'] },
  ...PACKAGES.map((p) => ({
    name: `typecheck ${p}`,
    parallel: true,
    cmd: ['pnpm', '--filter', p, 'run', 'typecheck'],
  })),
  // The Helm chart rendered and strictly decoded, the Compose file loaded, offline (ADR 0023).
  {
    name: 'deploy',
    parallel: true,
    counted: true,
    cmd: ['node', 'infra/scripts/deploy-check.mjs'],
  },
  {
    name: 'build',
    parallel: true,
    cmd: ['pnpm', '--filter', '@polyphony/web', 'run', 'build'],
  },
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
const suiteStarted = Date.now();

/** Runs one step; resolves with its exit status (output inherited, or buffered when `quiet`). */
function runStep(step, quiet) {
  const [cmd, ...args] = step.cmd;
  const json = join(outDir, `${step.name.replace(/\W+/g, '-')}.json`);
  if (step.vitest) args.push('--reporter=default', '--reporter=json', `--outputFile.json=${json}`);
  const started = Date.now();
  if (!quiet) process.stderr.write(`\n[test] ── ${step.name} ──\n`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output = [];
    child.stdout?.on('data', (d) => output.push(d));
    child.stderr?.on('data', (d) => output.push(d));
    child.on('close', (code) => {
      if (quiet) {
        process.stderr.write(`\n[test] ── ${step.name} ──\n`);
        process.stderr.write(Buffer.concat(output));
      }
      resolve({
        step,
        status: code,
        json,
        output: Buffer.concat(output).toString('utf8'),
        secs: ((Date.now() - started) / 1000).toFixed(1),
      });
    });
  });
}

function record({ step, status, json, output, secs }) {
  const counts = step.counted ? /^(\d+) passed, (\d+) failed$/m.exec(output) : null;
  if (counts) {
    const p = Number(counts[1]);
    let f = Number(counts[2]);
    if (status !== 0 && f === 0) f = 1;
    if (p + f === 0) f = 1;
    passed += p;
    failed += f;
    lines.push(`${step.name}: ${p} passed, ${f} failed (${secs}s)`);
  } else if (step.vitest && existsSync(json)) {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const p = report.numPassedTests ?? 0;
    let f = report.numFailedTests ?? 0;
    // A suite that crashed outside a test (import error, hook failure) still fails the step.
    if (status !== 0 && f === 0) f = 1;
    if (p + f === 0) f = 1; // a tier that ran no test is a failure, not a pass
    passed += p;
    failed += f;
    lines.push(`${step.name}: ${p} passed, ${f} failed (${secs}s)`);
  } else if (status === 0) {
    passed += 1;
    lines.push(`${step.name}: ok (${secs}s)`);
  } else {
    failed += 1;
    lines.push(`${step.name}: FAILED (${secs}s)`);
  }
}

/** Runs `group` with at most `limit` at once; records in the steps' order. */
async function runParallel(group, limit) {
  const results = new Array(group.length);
  let next = 0;
  const worker = async () => {
    while (next < group.length) {
      const i = next++;
      results[i] = await runStep(group[i], true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, group.length) }, worker));
  for (const r of results) record(r);
}

const chosen = steps.filter((step) => !only || only.some((p) => step.name.startsWith(p)));
// TEST_STEPS_AT_ONCE=1 runs the static steps one after another, as before they ran at once.
const cores = Math.max(1, Number(process.env.TEST_STEPS_AT_ONCE) || availableParallelism());
for (let i = 0; i < chosen.length;) {
  if (chosen[i].parallel) {
    const group = [];
    while (i < chosen.length && chosen[i].parallel) group.push(chosen[i++]);
    await runParallel(group, cores);
  } else {
    record(await runStep(chosen[i++], false));
  }
}

const wall = ((Date.now() - suiteStarted) / 1000).toFixed(0);
process.stdout.write(
  `\n${lines.join('\n')}\n(wall time ${wall} s)\n\n${passed} passed, ${failed} failed\n`,
);
process.exit(failed === 0 ? 0 : 1);
