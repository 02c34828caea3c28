import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_STATUS } from '@polyphony/protocol';
import { MEETING_ROLES, MODES } from '@polyphony/domain';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../messages/', import.meta.url));
const settings = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../project.inlang/settings.json', import.meta.url)),
    'utf8',
  ),
) as { baseLocale: string; locales: string[] };

type Catalogue = Record<string, string>;

function load(locale: string): Catalogue {
  const raw = JSON.parse(readFileSync(`${dir}${locale}.json`, 'utf8')) as Record<string, unknown>;
  const out: Catalogue = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    if (typeof value !== 'string') throw new Error(`${locale}.${key} is not a plain string`);
    out[key] = value;
  }
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

const base = load(settings.baseLocale);

describe('message catalogue', () => {
  it('has a file for every configured locale and no others', () => {
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...settings.locales].sort());
  });

  it.each(settings.locales.filter((l) => l !== settings.baseLocale))(
    '%s has exactly the keys of the base locale, with the same placeholders',
    (locale) => {
      const other = load(locale);
      expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
      for (const [key, text] of Object.entries(base)) {
        expect(placeholders(other[key] ?? ''), key).toEqual(placeholders(text));
      }
    },
  );

  it.each(settings.locales)('%s has no empty messages', (locale) => {
    for (const [key, text] of Object.entries(load(locale))) {
      expect(text.trim(), `${locale}.${key}`).not.toBe('');
    }
  });

  it('has text for every error code, role and mode', () => {
    const needed = [
      ...Object.keys(ERROR_STATUS).map((code) => `error_${code.toLowerCase()}`),
      ...MEETING_ROLES.map((role) => `role_${role}`),
      ...MODES.map((mode) => `mode_${mode}`),
    ];
    for (const key of needed) expect(base, key).toHaveProperty(key);
  });
});
