// The hazard log's structure (docs/safety/hazard-log.md): every hazard has its fields, and every
// risk it states is the one the DCB0129 5×5 matrix gives for its severity and likelihood.

export const SEVERITIES = [
  'Minor',
  'Significant',
  'Considerable',
  'Major',
  'Catastrophic',
] as const;
export const LIKELIHOODS = ['Very low', 'Low', 'Medium', 'High', 'Very high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];

/**
 * The clinical risk matrix of DCB0129 / DCB0160 (NHS Digital's guidance): risk 1 (acceptable)
 * to 5 (unacceptable), by likelihood (rows) and severity (columns, Minor → Catastrophic).
 */
export const RISK_MATRIX = {
  'Very high': [3, 4, 4, 5, 5],
  High: [2, 3, 3, 4, 5],
  Medium: [2, 2, 3, 3, 4],
  Low: [1, 2, 2, 3, 4],
  'Very low': [1, 1, 2, 2, 3],
} as const satisfies Record<Likelihood, readonly number[]>;

export const riskOf = (severity: Severity, likelihood: Likelihood): number =>
  RISK_MATRIX[likelihood][SEVERITIES.indexOf(severity)]!;

/** The fields each hazard writes as "**Field:** text" lines. */
export const HAZARD_FIELDS = [
  'Cause',
  'Effect',
  'Clinical harm',
  'Initial risk',
  'Controls',
  'Residual risk',
] as const;

export interface Rating {
  readonly severity: string;
  readonly likelihood: string;
  readonly risk: number;
}

export interface Hazard {
  readonly id: string;
  readonly title: string;
  /** 1-based line of its heading. */
  readonly line: number;
  readonly fields: ReadonlySet<string>;
  readonly initial: Rating | null;
  readonly residual: Rating | null;
  /** Test references under the hazard (lines holding `….test.ts` › "…"). */
  readonly testReferences: number;
}

const HEADING = /^## (H-\d{2}) (.+)$/;
const FIELD = /^\*\*([A-Z][a-z ]+):\*\*/;
const RATING =
  /^\*\*(Initial|Residual) risk:\*\* severity ([A-Za-z]+), likelihood ([A-Za-z ]+?) → \*\*(\d)\*\*/;

/** The hazards of the log, each from its "## H-nn title" heading to the next heading. */
export function parseHazards(markdown: string): Hazard[] {
  const hazards: Hazard[] = [];
  let current: {
    id: string;
    title: string;
    line: number;
    fields: Set<string>;
    initial: Rating | null;
    residual: Rating | null;
    testReferences: number;
  } | null = null;
  markdown.split('\n').forEach((text, i) => {
    if (text.startsWith('## ')) {
      if (current) hazards.push(current);
      const heading = HEADING.exec(text);
      current = heading
        ? {
            id: heading[1]!,
            title: heading[2]!,
            line: i + 1,
            fields: new Set(),
            initial: null,
            residual: null,
            testReferences: 0,
          }
        : null;
      return;
    }
    if (!current) return;
    const field = FIELD.exec(text);
    if (field) current.fields.add(field[1]!);
    const rating = RATING.exec(text);
    if (rating) {
      const value = { severity: rating[2]!, likelihood: rating[3]!, risk: Number(rating[4]) };
      if (rating[1] === 'Initial') current.initial = value;
      else current.residual = value;
    }
    if (/\.test\.ts` › "/.test(text)) current.testReferences += 1;
  });
  if (current) hazards.push(current);
  return hazards;
}

const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);
const isLikelihood = (s: string): s is Likelihood => (LIKELIHOODS as readonly string[]).includes(s);

/** What is wrong with one stated rating, or null. */
function ratingProblem(kind: string, rating: Rating | null): string | null {
  if (!rating) return `no readable ${kind} risk ("severity X, likelihood Y → **N**")`;
  if (!isSeverity(rating.severity)) return `${kind} risk: unknown severity "${rating.severity}"`;
  if (!isLikelihood(rating.likelihood)) {
    return `${kind} risk: unknown likelihood "${rating.likelihood}"`;
  }
  const expected = riskOf(rating.severity, rating.likelihood);
  return expected === rating.risk
    ? null
    : `${kind} risk: ${rating.severity} × ${rating.likelihood} is ${expected} in the matrix, not ${rating.risk}`;
}

/** Every problem of the log's hazards, as "H-nn: problem". */
export function hazardProblems(hazards: readonly Hazard[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const h of hazards) {
    if (seen.has(h.id)) problems.push(`${h.id}: used twice`);
    seen.add(h.id);
    for (const field of HAZARD_FIELDS) {
      if (!h.fields.has(field)) problems.push(`${h.id}: no "**${field}:**" line`);
    }
    for (const [kind, rating] of [
      ['initial', h.initial],
      ['residual', h.residual],
    ] as const) {
      const problem = ratingProblem(kind, rating);
      if (problem) problems.push(`${h.id}: ${problem}`);
    }
    if (h.initial && h.residual && h.residual.risk > h.initial.risk) {
      problems.push(`${h.id}: residual risk is higher than the initial risk`);
    }
    if (h.testReferences === 0) problems.push(`${h.id}: no control is proved by a named test`);
  }
  return problems;
}
