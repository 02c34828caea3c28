/** Formats whose grammar already leaves no room for a control character. */
const CLOSED_FORMATS = new Set(['uuid', 'date-time']);
/** Characters every request string must refuse (ADR 0015), tried inside a short string. */
export const REFUSED_SAMPLES = [
  '\u0000',
  '\u0007',
  '\u000a',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u2067',
] as const;
/** A multi-line free text may keep these. */
const FREE_TEXT_ALLOWS = new Set(['\u000a']);

type Schema = Readonly<Record<string, unknown>>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringProblems(s: Schema, at: string): string[] {
  if ('const' in s || Array.isArray(s['enum'])) return [];
  if (typeof s['format'] === 'string' && CLOSED_FORMATS.has(s['format'])) return [];
  const pattern = s['pattern'];
  if (typeof pattern !== 'string') return [`${at}: a string without a pattern`];
  const re = new RegExp(pattern, 'u');
  const accepted = REFUSED_SAMPLES.filter((c) => re.test(`a${c}b`));
  const multiLine = accepted.length > 0 && accepted.every((c) => FREE_TEXT_ALLOWS.has(c));
  return accepted.length === 0 || multiLine
    ? []
    : [`${at}: accepts ${accepted.map((c) => `U+${c.codePointAt(0)!.toString(16)}`).join(' ')}`];
}

/**
 * What makes a request body schema lenient: an object that allows properties it does not name,
 * a string that can carry a control or bidi-override character (a line feed only in a multi-line
 * text), or a shape this check cannot read. Empty for a strict schema.
 */
export function strictBodyProblems(schema: unknown, at = 'body'): string[] {
  if (!isSchema(schema)) return [`${at}: not a schema`];
  if (Array.isArray(schema['anyOf'])) {
    return schema['anyOf'].flatMap((s, i) => strictBodyProblems(s, `${at}|${i}`));
  }
  if (Array.isArray(schema['enum']) || 'const' in schema) return [];
  switch (schema['type']) {
    case 'object': {
      const problems =
        schema['additionalProperties'] === false ? [] : [`${at}: allows unknown properties`];
      if ('patternProperties' in schema) problems.push(`${at}: has pattern properties`);
      const properties = isSchema(schema['properties']) ? schema['properties'] : {};
      return problems.concat(
        Object.entries(properties).flatMap(([k, s]) => strictBodyProblems(s, `${at}.${k}`)),
      );
    }
    case 'array':
      return strictBodyProblems(schema['items'], `${at}[]`);
    case 'string':
      return stringProblems(schema, at);
    case 'boolean':
    case 'integer':
    case 'number':
    case 'null':
      return [];
    default:
      return [`${at}: a shape this check cannot read`];
  }
}
