import { ENV_NAMES, EnvSchema, envVariable } from './env-schema.ts';

/** The rows of docs/operations.md's variable table, as the schema says them. */
export function envTableRows(): string[][] {
  const required = new Set<string>(EnvSchema.required ?? []);
  return ENV_NAMES.map((name) => {
    const v = envVariable(name);
    const fallback =
      v.default !== undefined ? `\`${String(v.default)}\`` : required.has(name) ? 'required' : '—';
    const secret = v.secret ? ' (secret: never shown in messages)' : '';
    return [`\`${name}\``, fallback, `${v.doc}${secret}`];
  });
}
