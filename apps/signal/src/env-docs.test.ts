import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envTableRows } from './env-docs.ts';
import { repoRoot } from './repo-root.ts';

/** The cells of the markdown table that starts with `| variable | default | meaning |`. */
function documentedRows(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) =>
    /^\|\s*variable\s*\|\s*default\s*\|\s*meaning\s*\|$/.test(l),
  );
  expect(start, 'docs/operations.md has the variable table').toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

describe('docs/operations.md', () => {
  it('lists every variable of the env schema with its default and meaning', () => {
    const markdown = readFileSync(join(repoRoot(), 'docs/operations.md'), 'utf8');
    expect(documentedRows(markdown)).toEqual(envTableRows());
  });
});
