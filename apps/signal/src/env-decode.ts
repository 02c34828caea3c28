import { Value } from 'typebox/value';
import { ENV_NAMES, EnvSchema, envVariable, type Env, type EnvName } from './env-schema.ts';

/** Why a variable was refused at start-up. */
export type ConfigIssueCode = 'ENV_REQUIRED' | 'ENV_EMPTY' | 'ENV_INVALID' | 'ENV_CONFLICT';

/** One refused setting: the variable, a code, and a message that never holds a secret value. */
export interface ConfigIssue {
  readonly code: ConfigIssueCode;
  readonly variable: EnvName;
  readonly message: string;
}

export type RawEnv = Readonly<Record<string, string | undefined>>;

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  false: false,
  '0': false,
};

/** A string as the type its schema says, when it clearly is one; else the string (refused later). */
function decode(name: EnvName, raw: string): unknown {
  const type = (envVariable(name) as { type?: unknown }).type;
  if ((type === 'integer' || type === 'number') && NUMBER.test(raw)) return Number(raw);
  if (type === 'boolean' && raw in BOOLEANS) return BOOLEANS[raw];
  return raw;
}

/** "NAME must be …", with the value only when it is not a secret. */
export function refusal(name: EnvName, raw: string | undefined): string {
  const meta = envVariable(name);
  const shown = raw !== undefined && raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  // JSON quoting keeps control characters in a value from breaking the message's lines.
  const got = meta.secret || shown === undefined ? '' : ` (got ${JSON.stringify(shown)})`;
  return `${name} must be ${meta.hint}${got}`;
}

export interface Decoded {
  /** The settings with defaults; trustworthy only for variables without an issue. */
  readonly env: Env;
  /** The trimmed strings as given (for messages about values that are not secret). */
  readonly given: Partial<Record<EnvName, string>>;
  /** One per refused variable, in schema order. */
  readonly issues: readonly ConfigIssue[];
}

/**
 * Reads the known variables (trimmed), decodes them by the schema, fills defaults and checks
 * them with TypeBox; every refused variable becomes one coded issue.
 */
export function decodeEnv(raw: RawEnv): Decoded {
  const issues: ConfigIssue[] = [];
  const given: Record<string, unknown> = {};
  const values: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = raw[name];
    if (value === undefined) continue;
    if (value.trim() === '') {
      issues.push({ code: 'ENV_EMPTY', variable: name, message: `${name} is set but empty` });
      continue;
    }
    values[name] = value.trim();
    given[name] = decode(name, value.trim());
  }
  const env = Value.Default(EnvSchema, given);
  const refused = new Set<string>(issues.map((i) => i.variable));
  for (const error of Value.Errors(EnvSchema, env)) {
    if (error.keyword === 'required') {
      const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      for (const name of missing as EnvName[]) {
        if (refused.has(name)) continue;
        refused.add(name);
        const hint = envVariable(name).hint;
        issues.push({
          code: 'ENV_REQUIRED',
          variable: name,
          message: `${name} is required: ${hint}`,
        });
      }
      continue;
    }
    const name = error.instancePath.split('/')[1] as EnvName | undefined;
    if (!name || refused.has(name)) continue;
    refused.add(name);
    issues.push({ code: 'ENV_INVALID', variable: name, message: refusal(name, values[name]) });
  }
  return { env: env as Env, given: values, issues: sortBySchema(issues) };
}

/** Issues in the order the schema lists the variables (stable, reviewable messages). */
export function sortBySchema(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => ENV_NAMES.indexOf(a.variable) - ENV_NAMES.indexOf(b.variable));
}
