import { describe, expect, it } from 'vitest';
import { nameKey, nameTaken, normaliseEmail, normaliseName } from './names.ts';

describe('normaliseName', () => {
  it.each([
    ['plain', 'Maria', 'Maria'],
    ['NFC', 'Jo\u0308rg', 'J\u00f6rg'],
    ['trimmed, inner runs one space', '  Anna \t  Liisa\u00a0 ', 'Anna Liisa'],
    ['zero-width space and joiners', 'Ma\u200Bri\u200Ca\u200D', 'Maria'],
    ['word joiner and BOM', '\uFEFFMa\u2060ria', 'Maria'],
    ['direction marks', '\u200EMaria\u200F\u061C', 'Maria'],
    ['bidi override and pop', '\u202EairaM\u202C', 'airaM'],
    ['bidi isolates', '\u2066Maria\u2069\u2067\u2068', 'Maria'],
    ['control characters', 'Ma\u0000ri\u001ba\u0085', 'Maria'],
    ['nothing visible', '\u200B \u200E', ''],
    ['other scripts untouched', '\u0645\u0631\u064a\u0645', '\u0645\u0631\u064a\u0645'],
  ])('%s', (_name, raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });
});

describe('nameKey', () => {
  it('folds case and compatibility forms, keeps accents', () => {
    expect(nameKey('DR HOST')).toBe(nameKey('dr host'));
    expect(nameKey('\uFF24r Host')).toBe(nameKey('Dr Host'));
    expect(nameKey('J\u00f6rg')).not.toBe(nameKey('Jorg'));
  });
});

describe('nameTaken', () => {
  const roster = ['Dr Host Clinician', 'Maria', 'Anna-Liisa'];

  it.each([
    ['the exact name', 'Dr Host Clinician', true],
    ['another case', 'dr host clinician', true],
    ['with a zero-width space', 'Dr Host\u200B Clinician', true],
    ['with doubled spaces and a direction mark', ' Dr  Host Clinician\u200F', true],
    ['decomposed', 'Mari\u0061', true],
    ['full-width letters', '\uFF2Daria', true],
    ['with an initial', 'Maria K', false],
    ['a different name', 'Mirja', false],
  ])('%s', (_name, candidate, taken) => {
    expect(nameTaken(candidate, roster)).toBe(taken);
  });

  it('is never taken in an empty meeting', () => {
    expect(nameTaken('Maria', [])).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases, the one form for lookup and lock', () => {
    expect(normaliseEmail('  Ada@Example.ORG\t')).toBe('ada@example.org');
  });
});
