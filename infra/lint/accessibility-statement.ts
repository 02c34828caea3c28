// The accessibility statement (docs/accessibility/statement.md) against the sweep's own lists
// (apps/web/e2e/accessibility-scope.ts): the states it says were checked are the states the
// sweep checks, and its known issues are exactly the findings the sweep lets pass.

export interface KnownIssue {
  readonly state: string;
  readonly rule: string;
}

const STATE_LINE = /^- `([^`]+)`: /;
const ISSUE_LINE = /^- `([a-z0-9-]+)` on `([^`]+)`: /;
export const NO_KNOWN_ISSUES = 'Known issues found by the automated run: none.';

/** Every way the statement and the sweep's lists disagree, one sentence each. */
export function statementProblems(
  markdown: string,
  states: readonly string[],
  knownIssues: readonly KnownIssue[],
): string[] {
  const lines = markdown.split('\n');
  const listed = new Set(lines.flatMap((l) => STATE_LINE.exec(l)?.[1] ?? []));
  const issues = new Set(
    lines.flatMap((l) => {
      const m = ISSUE_LINE.exec(l);
      return m ? [`${m[1]} on ${m[2]}`] : [];
    }),
  );
  const problems: string[] = [];
  for (const state of states) {
    if (!listed.has(state)) problems.push(`the statement does not list the state "${state}"`);
  }
  for (const state of listed) {
    if (!states.includes(state)) problems.push(`the sweep does not check "${state}"`);
  }
  const excused = new Set(knownIssues.map((k) => `${k.rule} on ${k.state}`));
  for (const issue of excused) {
    if (!issues.has(issue)) problems.push(`the statement does not own up to ${issue}`);
  }
  for (const issue of issues) {
    if (!excused.has(issue)) problems.push(`the sweep does not excuse ${issue}`);
  }
  const saysNone = lines.includes(NO_KNOWN_ISSUES);
  if (saysNone !== (knownIssues.length === 0)) {
    problems.push(
      saysNone
        ? 'the statement says there are no known issues, but the sweep excuses some'
        : `the statement must say "${NO_KNOWN_ISSUES}" when the sweep excuses nothing`,
    );
  }
  return problems;
}
