// The safety and security documents name the tests that prove each control. These checks hold
// the documents to the code: a named test that is renamed or removed, or a hazard whose risk is
// not the matrix's, fails `npm test`. Each checker is also shown firing on a broken input.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../stack/src/paths.ts';
import { KNOWN_ISSUES, SWEPT_STATES } from '../../apps/web/e2e/accessibility-scope.ts';
import { NO_KNOWN_ISSUES, statementProblems } from './accessibility-statement.ts';
import { hazardProblems, parseHazards, riskOf } from './hazard-log.ts';
import { brokenReferences, parseTestReferences } from './test-references.ts';
import { testTitles } from './test-titles.ts';

/** The documents whose test references are checked. */
const DOCUMENTS = ['docs/safety/hazard-log.md', 'docs/security/threat-model.md'];

const readRepo = (file: string): string | null => {
  const path = join(ROOT, file);
  return !file.includes('..') && existsSync(path) ? readFileSync(path, 'utf8') : null;
};
const doc = (file: string) => readRepo(file) ?? '';

describe('test titles read from a test file', () => {
  const SOURCE = `
    import { describe, it } from 'vitest';
    describe('the door', () => {
      it('admits with two keys', () => {});
      it.each([1, 2])('case %s', () => {});
      describe.skipIf(!bin)(\`on PostgreSQL\${skipped}\`, () => {
        test('answers 503', async () => {});
      });
      it(dynamicTitle, () => {});
    });
    it('stands alone', () => {});
  `;

  it('lists describe blocks and tests with their describe prefixes', () => {
    expect(testTitles(SOURCE)).toEqual([
      'the door',
      'the door › admits with two keys',
      'the door › case %s',
      'the door › on PostgreSQL${skipped}',
      'the door › on PostgreSQL${skipped} › answers 503',
      'stands alone',
    ]);
  });
});

describe('test references', () => {
  const FILE = 'apps/web/e2e/consent-truth.e2e.test.ts';
  const TITLE =
    'roster truth: through a minute of churn every page shows exactly who is admitted and in LiveKit';
  const REFERENCE = `- \`${FILE}\` › "${TITLE}"`;

  it('reads one reference per line, with an optional note after a dash', () => {
    const { references, malformed } = parseTestReferences(
      `text\n${REFERENCE}\n- \`a.test.ts\` › "says "yes" plainly" — note\n`,
    );
    expect(malformed).toEqual([]);
    expect(references).toEqual([
      { line: 2, file: FILE, title: TITLE },
      { line: 3, file: 'a.test.ts', title: 'says "yes" plainly' },
    ]);
  });

  it('refuses a reference it cannot read, rather than skipping it', () => {
    const { malformed } = parseTestReferences(
      `- \`a.test.ts\` › title without quotes\n- \`a.test.ts\` › "one", \`b.test.ts\` › "two"`,
    );
    expect(malformed.map((m) => m.line)).toEqual([1, 2]);
  });

  it('holds for the real test file as it is', () => {
    const { references } = parseTestReferences(REFERENCE);
    expect(brokenReferences(references, readRepo)).toEqual([]);
  });

  it('fires when the named test is renamed', () => {
    const { references } = parseTestReferences(REFERENCE);
    const renamed = (file: string) =>
      readRepo(file)?.replace('roster truth: through a minute', 'roster: over a minute') ?? null;
    expect(brokenReferences(references, renamed)).toEqual([
      { line: 1, problem: `${FILE} has no test "${TITLE}"` },
    ]);
  });

  it('fires when the named test is removed', () => {
    const { references } = parseTestReferences(REFERENCE);
    const removed = (file: string) => {
      const source = readRepo(file) ?? '';
      const start = source.indexOf("it('roster truth:");
      const end = source.indexOf('\n  it(', start + 1);
      expect(start).toBeGreaterThan(0);
      return source.slice(0, start) + source.slice(end);
    };
    expect(brokenReferences(references, removed)).toHaveLength(1);
  });

  it('fires when the test file is gone', () => {
    const { references } = parseTestReferences(REFERENCE);
    expect(brokenReferences(references, () => null)).toEqual([
      { line: 1, problem: `no such test file: ${FILE}` },
    ]);
  });

  it.each(DOCUMENTS)('every test %s names exists', (file) => {
    const { references, malformed } = parseTestReferences(doc(file));
    expect(references.length, 'the document names tests').toBeGreaterThan(10);
    expect(malformed).toEqual([]);
    expect(brokenReferences(references, readRepo)).toEqual([]);
  });
});

describe('the hazard log', () => {
  const LOG = doc('docs/safety/hazard-log.md');

  it('uses the DCB0129 matrix: the corners and the middle', () => {
    expect(riskOf('Minor', 'Very low')).toBe(1);
    expect(riskOf('Catastrophic', 'Very high')).toBe(5);
    expect(riskOf('Considerable', 'Medium')).toBe(3);
    expect(riskOf('Catastrophic', 'Very low')).toBe(3);
  });

  it('has every hazard the issue asks for, each complete, rated by the matrix, proved by tests', () => {
    const hazards = parseHazards(LOG);
    expect(hazards.length).toBeGreaterThanOrEqual(9);
    expect(hazardProblems(hazards)).toEqual([]);
  });

  it('the safety case states the same initial and residual risk for every hazard', () => {
    const CASE = doc('docs/safety/safety-case.md');
    const stated = new Map(
      [...CASE.matchAll(/^\| (H-\d{2}) [^|]*\| (\d) +\| (\d) +\|/gm)].map((m) => [
        m[1],
        [Number(m[2]), Number(m[3])],
      ]),
    );
    const hazards = parseHazards(LOG);
    expect(stated.size).toBe(hazards.length);
    for (const h of hazards) {
      expect(stated.get(h.id), h.id).toEqual([h.initial?.risk, h.residual?.risk]);
    }
  });

  const hazard = (body: string) => `# Log\n\n## H-01 A hazard\n\n${body}\n\n## Matrix\n`;
  const COMPLETE = [
    '**Cause:** c',
    '**Effect:** e',
    '**Clinical harm:** h',
    '**Initial risk:** severity Major, likelihood Medium → **3**',
    '**Controls:**',
    '- `x.test.ts` › "proves it"',
    '**Residual risk:** severity Major, likelihood Very low → **2**',
  ].join('\n');

  it('passes a complete hazard', () => {
    expect(hazardProblems(parseHazards(hazard(COMPLETE)))).toEqual([]);
  });

  it('fires on a risk the matrix does not give, a missing field and no test', () => {
    const broken = COMPLETE.replace('Very low → **2**', 'Very low → **1**')
      .replace('**Effect:** e\n', '')
      .replace('- `x.test.ts` › "proves it"\n', '');
    expect(hazardProblems(parseHazards(hazard(broken)))).toEqual([
      'H-01: no "**Effect:**" line',
      'H-01: residual risk: Major × Very low is 2 in the matrix, not 1',
      'H-01: no control is proved by a named test',
    ]);
  });

  it('fires on a residual risk above the initial one and on an unknown likelihood', () => {
    const broken = COMPLETE.replace('Medium → **3**', 'Low → **3**').replace(
      'Very low → **2**',
      'Often → **4**',
    );
    expect(hazardProblems(parseHazards(hazard(broken)))).toEqual([
      'H-01: residual risk: unknown likelihood "Often"',
      'H-01: residual risk is higher than the initial risk',
    ]);
  });
});

describe('the accessibility statement', () => {
  const STATEMENT = doc('docs/accessibility/statement.md');

  it('lists exactly the states the sweep checks, and owns up to exactly what it excuses', () => {
    expect(statementProblems(STATEMENT, SWEPT_STATES, KNOWN_ISSUES)).toEqual([]);
  });

  it('fires on a state the statement claims but the sweep dropped, and on one it leaves out', () => {
    expect(statementProblems(STATEMENT, SWEPT_STATES.slice(1), KNOWN_ISSUES)).toEqual([
      'the sweep does not check "setup"',
    ]);
    const withoutLanding = STATEMENT.replace(/^- `landing`: .*$/m, '');
    expect(statementProblems(withoutLanding, SWEPT_STATES, KNOWN_ISSUES)).toEqual([
      'the statement does not list the state "landing"',
    ]);
  });

  it('fires when the sweep excuses a finding the statement does not list, and the reverse', () => {
    const excused = [{ state: 'pre-join', rule: 'color-contrast' }];
    expect(statementProblems(STATEMENT, SWEPT_STATES, excused)).toEqual([
      'the statement does not own up to color-contrast on pre-join',
      'the statement says there are no known issues, but the sweep excuses some',
    ]);
    const owned = STATEMENT.replace(
      NO_KNOWN_ISSUES,
      '- `color-contrast` on `pre-join`: the grey hint text is too light.',
    );
    expect(statementProblems(owned, SWEPT_STATES, excused)).toEqual([]);
    expect(statementProblems(owned, SWEPT_STATES, [])).toEqual([
      'the sweep does not excuse color-contrast on pre-join',
      `the statement must say "${NO_KNOWN_ISSUES}" when the sweep excuses nothing`,
    ]);
  });
});
