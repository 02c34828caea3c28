// Every citation of the product contract ("product.md section 4", "product.md §10") points at a
// section that exists in docs/product.md, and nothing points outside the repository for it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const PRODUCT = readFileSync(new URL('docs/product.md', ROOT), 'utf8');

/** Section numbers in docs/product.md: "## 4." headings and the numbered rules under them. */
function sections(doc: string): Set<string> {
  const found = new Set<string>();
  let current = '';
  for (const line of doc.split('\n')) {
    const heading = /^## (\d+)\. /.exec(line);
    if (heading) {
      current = heading[1]!;
      found.add(current);
      continue;
    }
    const rule = /^(\d+)\. /.exec(line);
    if (rule && current) found.add(`${current}.${rule[1]}`);
  }
  return found;
}

/** Tracked text files that mention product.md, with their citations. */
function citations(): { file: string; section: string }[] {
  const files = execFileSync('git', ['grep', '-l', 'product\\.md'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && f !== 'docs/product.md' && !f.endsWith('product-references.test.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(new URL(file, ROOT), 'utf8').replace(/\s*\n\s*(\*|\/\/|#)?\s*/g, ' ');
    return [...text.matchAll(/product\.md,? (?:sections?|§) ?(\d+(?:\.\d+)?)/g)].map((m) => ({
      file,
      section: m[1]!,
    }));
  });
}

describe('the product contract is in the repository', () => {
  it('docs/product.md has the sections 1 to 11', () => {
    const found = sections(PRODUCT);
    for (let n = 1; n <= 11; n++) expect(found.has(String(n)), `section ${n}`).toBe(true);
  });

  it('finds citations, so the check below can fail', () => {
    expect(citations().length).toBeGreaterThan(20);
  });

  it('every "product.md section N" cites a section that exists', () => {
    const found = sections(PRODUCT);
    const broken = citations().filter((c) => !found.has(c.section));
    expect(broken).toEqual([]);
  });

  it('nothing points at a copy outside the repository', () => {
    let outside = '';
    try {
      outside = execFileSync('git', ['grep', '-n', '-e', 'shared/product', '--', ':!infra/lint'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    } catch {
      // git grep exits 1 when nothing matches
    }
    expect(outside).toBe('');
  });
});
