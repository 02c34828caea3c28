import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES, EnvSchema, envVariable } from '../../apps/signal/src/env-schema.ts';
import { DEPLOY_DIR } from './livekit-production.ts';

// The deployment files give the signal service and the web server only variables they read,
// and every variable the signal service requires: a misspelt name would be ignored silently.

/** Set for the signal service's shared rate limits (issue 19); read once that work lands. */
const PENDING = new Set(['REDIS_URL']);
/** What apps/web/server.js reads. */
const WEB = new Set(['HOST', 'PORT', 'SIGNAL_URL', 'LIVEKIT_URL', 'WEB_TRUST_FORWARDED']);

const read = (path: string) => readFileSync(join(DEPLOY_DIR, path), 'utf8');

/** Variable names in a Compose block (`x-signal-env:` or a service's `environment:`). */
function composeBlock(text: string, start: RegExp): string[] {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => start.test(l));
  const indent = /^\s*/.exec(lines[from]!)![0].length;
  const names: string[] = [];
  for (const line of lines.slice(from + 1)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (/^\s*/.exec(line)![0].length <= indent) break;
    const m = /^\s*([A-Z][A-Z0-9_]*):/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

/**
 * Variable names a Helm template gives its container (plain and from the Secret), less those
 * that only feed another variable's `$(NAME)` expansion (REDIS_PASSWORD into REDIS_URL).
 */
function chartEnv(text: string): string[] {
  const plain = [...text.matchAll(/name: ([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1]!);
  const secret = [...text.matchAll(/"name" "([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!);
  const feeds = new Set([...text.matchAll(/\$\(([A-Z][A-Z0-9_]*)\)/g)].map((m) => m[1]!));
  return [...plain, ...secret].filter((n) => !feeds.has(n) || ENV_NAMES.includes(n as never));
}

/** Required by the schema and without a default. */
const required = ((EnvSchema as { required?: string[] }).required ?? []).filter(
  (name) => envVariable(name as (typeof ENV_NAMES)[number]).default === undefined,
);

const signalSets: Record<string, string[]> = {
  'compose signal nodes': [
    ...composeBlock(read('compose/compose.yaml'), /^x-signal-env:/),
    'SIGNAL_PORT',
  ],
  'chart signal': chartEnv(read('helm/polyphony/templates/signal.yaml')),
};

describe.each(Object.entries(signalSets))('%s', (_name, names) => {
  it('sets only variables the signal service reads', () => {
    const known = new Set<string>([...ENV_NAMES, ...PENDING]);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('sets every required variable, and PostgreSQL rather than the embedded database', () => {
    expect(required.length).toBeGreaterThan(3);
    for (const name of [...required, 'DATABASE_URL']) expect(names).toContain(name);
    expect(required).toContain('CSRF_SECRET');
  });
});

it('the web server is given only what it reads', () => {
  const compose = composeBlock(read('compose/compose.yaml'), /^ {2}web:/);
  const chart = chartEnv(read('helm/polyphony/templates/web.yaml'));
  for (const names of [compose, chart]) {
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((n) => !WEB.has(n))).toEqual([]);
  }
});
