import { canonicalLanguage } from '@polyphony/domain';
import { describe, expect, it } from 'vitest';
import { INTERPRETER_LANGUAGES, languageChoices, languageName } from './languages.ts';

const OWN = { fse: () => 'Finnish Sign Language' };

describe('language names', () => {
  it.each([
    ['ar', 'en', 'Arabic'],
    ['ar', 'fi', 'Arabia'],
    ['fa-AF', 'en', 'Dari'],
    ['fse', 'fi', 'Finnish Sign Language'],
    ['qaa', 'en', 'qaa'],
  ])('%s in %s is %s', (tag, locale, name) => {
    expect(languageName(tag, locale, OWN)).toBe(name);
  });

  it('offers only tags the server stores as they are, each once, sorted by name', () => {
    expect(new Set(INTERPRETER_LANGUAGES).size).toBe(INTERPRETER_LANGUAGES.length);
    for (const tag of INTERPRETER_LANGUAGES) expect(canonicalLanguage(tag)).toBe(tag);
    const names = languageChoices('en', OWN).map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(names).toContain('Arabic');
  });
});
