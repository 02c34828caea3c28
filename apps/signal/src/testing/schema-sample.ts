/** A JSON schema as the tests walk it. */
export type Schema = Readonly<Record<string, unknown>>;

export const asSchema = (s: unknown) => s as Schema;
export const properties = (s: Schema) =>
  Object.entries((s['properties'] ?? {}) as Record<string, Schema>);

/** A value that fits the schema (every optional property included). */
export function sample(s: Schema): unknown {
  if (Array.isArray(s['anyOf'])) return sample(asSchema(s['anyOf'][0]));
  if ('const' in s) return s['const'];
  if (Array.isArray(s['enum'])) return s['enum'][0];
  // A patterned string a plain word cannot fit names its own example.
  if (Array.isArray(s['examples'])) return s['examples'][0];
  switch (s['type']) {
    case 'object':
      return Object.fromEntries(properties(s).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return [sample(asSchema(s['items']))];
    case 'string':
      if (s['format'] === 'uuid') return '6f1c8a52-8d0f-4c47-9d8e-3c1f8c2a9b10';
      if (s['format'] === 'date-time') return new Date().toISOString();
      if (s['format'] === 'email') return 'plain@example.net';
      return 'Plain'.padEnd(Number(s['minLength'] ?? 0), 'x');
    case 'boolean':
      return false;
    default:
      return Number(s['minimum'] ?? 0);
  }
}
