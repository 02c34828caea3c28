// pnpm bench bundles [--no-build]: gzip -9 of the JavaScript each budgeted page makes the browser
// load (product.md section 10), read from a fresh production build of the web app: Vite's client
// manifest for what each chunk imports, SvelteKit's server manifest for each page's nodes.
// Beside it, the framework floor of the same build (SvelteKit's client entry, app.js and the
// root layout): what every page costs before any code of its own. Exits 1 only when there is
// no usable build; a missed budget is reported, not failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from '@polyphony/stack';
import {
  closure,
  kitEntries,
  partName,
  routeNodes,
  weigh,
  type KitRoute,
  type Manifest,
  type Weighed,
} from './lib/bundles.ts';

const WEB = join(ROOT, 'apps/web');
const OUTPUT = join(WEB, '.svelte-kit/output');
const CLIENT = join(OUTPUT, 'client');
const PREJOIN = '/join/[token]';
const ROOM = '/m/[meetingId]';
const KB = 1024;

function fail(message: string, detail = ''): never {
  process.stderr.write(`\nbundles: ${message}\n${detail}`);
  process.exit(1);
}

const reuse = process.argv.includes('--no-build');
if (!reuse) {
  process.stdout.write('building the web app (pnpm --filter @polyphony/web build)…\n');
  const r = spawnSync('pnpm', ['--filter', '@polyphony/web', 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    const log = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    fail('the web build failed', `${log}\n`);
  }
}

const manifestFile = join(CLIENT, '.vite/manifest.json');
let manifest: Manifest;
let routes: readonly KitRoute[];
try {
  manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const kit = (await import(pathToFileURL(join(OUTPUT, 'server/manifest-full.js')).href)) as {
    manifest: { _: { routes: readonly KitRoute[] } };
  };
  routes = kit.manifest._.routes;
} catch (err) {
  fail('no usable build output (run without --no-build)', `${String(err)}\n`);
}

const gzipped = new Map<string, number>();
const size = (file: string): number => {
  let bytes = gzipped.get(file);
  if (bytes === undefined) {
    bytes = gzipSync(readFileSync(join(CLIENT, file)), { level: 9 }).length;
    gzipped.set(file, bytes);
  }
  return bytes;
};

interface Row {
  readonly label: string;
  readonly weighed: Weighed;
  readonly targetKb: number | null;
}

let rows: Row[];
try {
  const entries = kitEntries(manifest);
  const prejoinNodes = routeNodes(routes, PREJOIN);
  const roomNodes = routeNodes(routes, ROOM);
  const rootLayout = prejoinNodes[0]!;
  const framework = closure(manifest, entries);
  rows = [
    {
      label: 'framework floor (entry, app, root layout)',
      weighed: weigh(manifest, closure(manifest, [...entries, rootLayout]), size),
      targetKb: null,
    },
    {
      label: `pre-join ${PREJOIN}`,
      weighed: weigh(manifest, closure(manifest, [...entries, ...prejoinNodes]), size),
      targetKb: 60,
    },
    {
      label: `lobby, room before media ${ROOM}`,
      weighed: weigh(manifest, closure(manifest, [...entries, ...roomNodes]), size),
      targetKb: 60,
    },
    {
      label: `meeting, all it may load ${ROOM}`,
      weighed: weigh(manifest, [...framework, ...closure(manifest, roomNodes, true)], size),
      targetKb: 220,
    },
  ];
} catch (err) {
  fail('the build output is not what this bench expects', `${String(err)}\n`);
}

const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;
const base = rows[0]!.weighed.bytes;
const results = rows.map((r) => {
  const verdict =
    r.targetKb === null
      ? ''
      : r.weighed.bytes <= r.targetKb * KB
        ? 'meets target'
        : 'MISSES target';
  return {
    label: r.label,
    gzipBytes: r.weighed.bytes,
    ratioToBaseline: r.weighed.bytes / base,
    targetKb: r.targetKb,
    verdict,
    parts: r.weighed.parts.map((p) => ({
      name: partName(manifest, p.key),
      file: p.file,
      gzipBytes: p.bytes,
    })),
  };
});

const built = statSync(manifestFile).mtime.toISOString();
const lines = [
  '\nbundles',
  '',
  `  gzip -9 of JavaScript, KB = 1024 bytes; build of ${built}${reuse ? ' (reused)' : ''}`,
  '',
];
for (const r of results) {
  const target = r.targetKb === null ? '' : `target ≤ ${r.targetKb} KB`;
  lines.push(
    `  ${r.label.padEnd(44)} ${kb(r.gzipBytes).padStart(9)}  ×${r.ratioToBaseline.toFixed(2)} of baseline  ${target.padEnd(16)}  ${r.verdict}`,
  );
  const largest = r.parts
    .slice(0, 4)
    .map((p) => `${p.name} ${kb(p.gzipBytes)}`)
    .join(', ');
  lines.push(`  ${''.padEnd(44)} largest: ${largest}`);
}
const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const at = new Date().toISOString();
const file = join(dir, `bundles-${at.replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    { name: 'bundles', at, build: built, baseline: rows[0]!.label, rows: results },
    null,
    2,
  ),
);
lines.push('', `  written to ${file}`);
process.stdout.write(lines.join('\n') + '\n');
