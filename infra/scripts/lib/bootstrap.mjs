// Toolchain bootstrap: Node 24, pnpm and livekit-server into a git-ignored .tools/,
// only when missing. Plain ESM that runs on Node >= 20 (the machine's Node may be old).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TOOLS = join(ROOT, '.tools');

const NODE_MAJOR = 24;
const PNPM_VERSION = '12.21.0';
/** The LiveKit server version we build and test against (see docs/decisions/0002). */
export const LIVEKIT_VERSION = '1.13.5';

function log(msg) {
  process.stderr.write(`[bootstrap] ${msg}\n`);
}

class BootstrapError extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function which(cmd, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

function nodePackageName() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    throw new BootstrapError(
      `No Node ${NODE_MAJOR} package for ${process.platform}/${process.arch} in this bootstrap. ` +
        `Install Node ${NODE_MAJOR} yourself and put it first on PATH, then run again.`,
    );
  }
  return `node-linux-${arch}`;
}

function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= NODE_MAJOR) return dirname(process.execPath);
  const pkg = nodePackageName();
  const bin = join(TOOLS, 'node_modules', pkg, 'bin');
  if (!existsSync(join(bin, 'node'))) {
    log(
      `Node ${process.versions.node} is older than ${NODE_MAJOR}; installing Node ${NODE_MAJOR} into .tools/ from the npm registry…`,
    );
    installNpm([`${pkg}@${NODE_MAJOR}`]);
  }
  return bin;
}

function installNpm(specs) {
  mkdirSync(TOOLS, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = run(npm, ['install', '--prefix', TOOLS, '--no-audit', '--no-fund', ...specs], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!r.ok)
    throw new BootstrapError(
      `npm install ${specs.join(' ')} failed. Is the npm registry reachable?`,
    );
}

function ensurePnpm(nodeBin) {
  const bin = join(TOOLS, 'node_modules', '.bin', 'pnpm');
  if (existsSync(bin)) {
    const v = run(bin, ['--version'], { env: withPath(process.env, [nodeBin]) });
    if (v.ok && v.stdout.trim() === PNPM_VERSION) return dirname(bin);
  }
  log(`installing pnpm ${PNPM_VERSION} into .tools/…`);
  installNpm([`pnpm@${PNPM_VERSION}`]);
  return dirname(bin);
}

function livekitVersionOf(bin) {
  const r = run(bin, ['--version']);
  const m = /(\d+\.\d+\.\d+)/.exec(r.stdout + r.stderr);
  return r.ok && m ? m[1] : null;
}

function versionFits(v) {
  // Same minor line as the pinned version, and not older than it.
  if (!v) return false;
  const [a, b, c] = v.split('.').map(Number);
  const [x, y, z] = LIVEKIT_VERSION.split('.').map(Number);
  return a === x && b === y && c >= z;
}

function ensureLivekit() {
  const fromEnv = process.env.LIVEKIT_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const onPath = which('livekit-server');
  if (onPath && versionFits(livekitVersionOf(onPath))) return onPath;
  const local = join(TOOLS, 'bin', 'livekit-server');
  if (existsSync(local) && versionFits(livekitVersionOf(local))) return local;
  const go = which('go');
  if (!go) {
    throw new BootstrapError(
      `livekit-server ${LIVEKIT_VERSION} was not found and Go is not installed to build it.\n` +
        `  Either install Go >= 1.26 (https://go.dev/doc/install) and run this again,\n` +
        `  or put a livekit-server ${LIVEKIT_VERSION.replace(/\.\d+$/, '.x')} binary on your PATH\n` +
        `  (or point LIVEKIT_BIN at one).`,
    );
  }
  log(
    `building livekit-server v${LIVEKIT_VERSION} from its Go module (first time takes a few minutes)…`,
  );
  mkdirSync(join(TOOLS, 'bin'), { recursive: true });
  const r = run(
    go,
    ['install', `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`],
    {
      env: { ...process.env, GOBIN: join(TOOLS, 'bin') },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (!r.ok)
    throw new BootstrapError(
      `go install of livekit-server v${LIVEKIT_VERSION} failed (see above).`,
    );
  renameSync(join(TOOLS, 'bin', 'server'), local);
  return local;
}

export function withPath(env, dirs) {
  return { ...env, PATH: [...dirs, env.PATH ?? ''].join(delimiter) };
}

/**
 * Makes sure every tool exists and returns the environment the project's commands run in:
 * Node 24 and pnpm first on PATH, LIVEKIT_BIN set.
 */
export function bootstrap({ needLivekit = true } = {}) {
  try {
    const nodeBin = ensureNode();
    const pnpmBin = ensurePnpm(nodeBin);
    const env = withPath(process.env, [nodeBin, pnpmBin, join(ROOT, 'node_modules', '.bin')]);
    if (needLivekit) env.LIVEKIT_BIN = ensureLivekit();
    env.POLYPHONY_NODE = join(nodeBin, 'node');
    return env;
  } catch (err) {
    if (err instanceof BootstrapError) {
      process.stderr.write(`\nPolyphony cannot start: ${err.message}\n\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** `pnpm install` with the committed lockfile; quick when nothing changed. */
export function installDependencies(env) {
  const r = spawnSync('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write('\nPolyphony cannot start: `pnpm install` failed (see above).\n');
    process.exit(1);
  }
}
