// The rules of who may reach what live in packages/domain; the apps ask its functions rather than
// writing a rule again (a role compared by hand, a link's expiry checked inline).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);

/** Lines of tracked, non-test app sources matching `pattern` (a git grep extended regex). */
function matches(pattern: string): string[] {
  try {
    return execFileSync(
      'git',
      [
        'grep',
        '-nE',
        pattern,
        '--',
        'apps/web/src',
        'apps/signal/src',
        ':!*.test.ts',
        ':!**/testing/**',
        ':!apps/web/e2e',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // git grep exits 1 when nothing matches
  }
}

describe('rules are asked of the domain, not written again in the apps', () => {
  it.each([
    ['a staff role compared by hand (use mayManageStaff)', "role === 'admin'|'admin' === "],
    ['a link revocation checked inline (use linkStanding)', 'revokedAt !== null'],
    ['a link expiry checked inline (use linkStanding)', 'xpiresAt\\.getTime\\(\\) <='],
  ])('%s', (_name, pattern) => {
    expect(matches(pattern)).toEqual([]);
  });

  it('the scan finds what it looks for (so it can fail)', () => {
    expect(matches('mayManageStaff').length).toBeGreaterThan(0);
  });
});
