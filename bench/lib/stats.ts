import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@polyphony/stack';

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of `sorted` (ascending), q in [0, 1]. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean,
  };
}

export interface Measured {
  readonly label: string;
  readonly samplesMs: readonly number[];
  /** Target percentiles from product.md section 10, when there is one. */
  readonly target?: { p50?: number; p95?: number; p99?: number };
}

const fmt = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

/**
 * Prints each measurement beside the baseline of the same run (ratio = p50 / baseline p50),
 * and writes the whole result as JSON under bench/results/.
 */
export function report(name: string, baseline: Measured, measured: readonly Measured[]): string {
  const base = summarise(baseline.samplesMs);
  const rows = [baseline, ...measured].map((m) => {
    const s = summarise(m.samplesMs);
    const ratio = base.p50 > 0 ? s.p50 / base.p50 : Number.NaN;
    const verdict =
      m.target === undefined
        ? ''
        : (m.target.p50 === undefined || s.p50 <= m.target.p50) &&
            (m.target.p95 === undefined || s.p95 <= m.target.p95) &&
            (m.target.p99 === undefined || s.p99 <= m.target.p99)
          ? 'meets target'
          : 'MISSES target';
    return { label: m.label, ...s, ratioToBaseline: ratio, target: m.target ?? null, verdict };
  });
  const lines = [`\n${name}`, ''];
  for (const r of rows) {
    lines.push(
      `  ${r.label.padEnd(48)} n=${String(r.n).padEnd(5)} p50 ${fmt(r.p50).padStart(10)}  p95 ${fmt(r.p95).padStart(10)}  p99 ${fmt(r.p99).padStart(10)}  max ${fmt(r.max).padStart(10)}  ${Number.isFinite(r.ratioToBaseline) ? `×${r.ratioToBaseline.toFixed(2)}` : '× n/a'} of baseline  ${r.verdict}`,
    );
  }
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, at: new Date().toISOString(), baseline: baseline.label, rows }, null, 2),
  );
  lines.push('', `  written to ${file}`);
  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  return text;
}

/**
 * One line comparing the product's figure with bare LiveKit's (or `against`'s) of the same run:
 * p50 and p95 and their ratios, and whether the p95 ratio meets `target` (if given).
 */
export function ratioLine(
  what: string,
  product: readonly number[],
  bare: readonly number[],
  target?: number,
  against = 'bare LiveKit',
): string {
  const p = summarise(product);
  const b = summarise(bare);
  const ratio = p.p95 / b.p95;
  const verdict =
    target === undefined
      ? ''
      : ` (target p95 ≤ ×${target}: ${ratio <= target ? 'meets' : 'MISSES'})`;
  return (
    `  ${what} vs ${against}: p50 ${p.p50.toFixed(1)} / ${b.p50.toFixed(1)} ms = ×${(p.p50 / b.p50).toFixed(2)},` +
    ` p95 ${p.p95.toFixed(1)} / ${b.p95.toFixed(1)} ms = ×${ratio.toFixed(2)}${verdict}`
  );
}
