// Reads a V8 CPU profile (`node --cpu-prof`) and prints where the time went: self time per
// function and per package, highest first. `node --import tsx bench/lib/cpu-profile.ts FILE [N]`
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time (ms) by key, highest first. */
export function selfTimes(profile: Profile, keyOf: (n: ProfileNode) => string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** The package (or `node:` module, or project folder) a script URL belongs to. */
export function packageOf(url: string): string {
  if (url === '') return '(native / idle / gc)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url);
  return own ? own[1]! : url;
}

if (process.argv[1]?.endsWith('cpu-profile.ts')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile.ts FILE [N]');
  const top = Number(process.argv[3] ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  const print = (title: string, rows: [string, number][]) => {
    process.stdout.write(`\n${title} (of ${total.toFixed(0)} ms)\n`);
    for (const [k, ms] of rows.slice(0, top))
      process.stdout.write(
        `  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}\n`,
      );
  };
  print(
    'self time by package',
    selfTimes(profile, (n) => packageOf(n.callFrame.url)),
  );
  print(
    'self time by function',
    selfTimes(
      profile,
      (n) =>
        `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
    ),
  );
}
