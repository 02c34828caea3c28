// Test references in the safety and security documents: "`path/to/x.test.ts` › "title"", one
// per line. A reference must name a test file that exists and a test (or describe block) that
// the file declares, so a renamed or removed test fails the check.
import { citesTitle, testTitles } from './test-titles.ts';

export interface TestReference {
  /** 1-based line in the document. */
  readonly line: number;
  /** Repository-relative path of the test file. */
  readonly file: string;
  /** The cited title: a test's own title, or its full name with describe titles (" › "). */
  readonly title: string;
}

export interface ReferenceProblem {
  readonly line: number;
  readonly problem: string;
}

/** A reference: a code span ending in `.test.ts`, " › ", then the title in double quotes. */
const REFERENCE = /`([^`\s]+\.test\.ts)` › "(.*?)"(?=\s*$|\s+—\s|\s*\|)/;
/** Anything that looks like an attempt at one, so a malformed reference is not skipped. */
const LOOKS_LIKE = /\.test\.ts`\s*›/;

/** Every reference in `markdown`, and every line that tries to be one but cannot be read. */
export function parseTestReferences(markdown: string): {
  references: TestReference[];
  malformed: ReferenceProblem[];
} {
  const references: TestReference[] = [];
  const malformed: ReferenceProblem[] = [];
  markdown.split('\n').forEach((text, i) => {
    const line = i + 1;
    const attempts = text.match(new RegExp(LOOKS_LIKE, 'g'))?.length ?? 0;
    if (attempts === 0) return;
    const found = REFERENCE.exec(text);
    if (!found || attempts > 1) {
      malformed.push({
        line,
        problem: 'a test reference must be alone on its line: `file.test.ts` › "title"',
      });
      return;
    }
    references.push({ line, file: found[1]!, title: found[2]! });
  });
  return { references, malformed };
}

/**
 * The references that do not hold: the file is missing (`read` answers null) or declares no
 * test or describe block with the cited title.
 */
export function brokenReferences(
  references: readonly TestReference[],
  read: (file: string) => string | null,
): ReferenceProblem[] {
  const titles = new Map<string, string[] | null>();
  const titlesOf = (file: string) => {
    if (!titles.has(file)) {
      const source = read(file);
      titles.set(file, source === null ? null : testTitles(source, file));
    }
    return titles.get(file)!;
  };
  const problems: ReferenceProblem[] = [];
  for (const ref of references) {
    const names = titlesOf(ref.file);
    if (names === null) {
      problems.push({ line: ref.line, problem: `no such test file: ${ref.file}` });
    } else if (!citesTitle(names, ref.title)) {
      problems.push({ line: ref.line, problem: `${ref.file} has no test "${ref.title}"` });
    }
  }
  return problems;
}
