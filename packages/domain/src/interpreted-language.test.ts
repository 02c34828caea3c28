import { describe, expect, it } from 'vitest';
import {
  MAX_LANGUAGE_TAG,
  NAMES_A_LANGUAGE,
  canonicalLanguage,
  inviteLanguage,
} from './interpreted-language.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';

describe('canonicalLanguage', () => {
  it.each([
    ['ar', 'ar'],
    ['AR', 'ar'],
    ['fa-af', 'fa-AF'],
    ['fse', 'fse'],
    ['ckb', 'ckb'],
    ['zh-Hant-TW', 'zh-Hant-TW'],
  ])('%s is %s', (tag, canonical) => {
    expect(canonicalLanguage(tag)).toBe(canonical);
  });

  it.each([
    ['empty', ''],
    ['free text', 'Arabic'],
    ['a space', 'ar SA'],
    ['an underscore', 'ar_SA'],
    ['a digit first', '1ar'],
    ['a trailing hyphen', 'ar-'],
    ['too long', `ar${'-abcdefgh'.repeat(4)}`],
    ['a bidi override', 'ar\u202E'],
    ['ill-formed (two scripts)', 'ar-Arab-Latn'],
  ])('refuses %s', (_name, tag) => {
    expect(canonicalLanguage(tag)).toBeNull();
  });

  it('accepts tags up to the bound', () => {
    const longest = `ar-${'a'.repeat(8)}-${'b'.repeat(8)}-${'c'.repeat(8)}-defgh`;
    expect(longest).toHaveLength(MAX_LANGUAGE_TAG);
    expect(canonicalLanguage(longest)).not.toBeNull();
    expect(canonicalLanguage(`${longest}x`)).toBeNull();
  });

  it('refuses a tag that grows past the bound when made canonical', () => {
    const grows = 'sh-abcde-bcdef-cdefg-defgh-efghi';
    expect(grows.length).toBeLessThanOrEqual(MAX_LANGUAGE_TAG);
    expect(canonicalLanguage('sh')).toBe('sr-Latn');
    expect(canonicalLanguage(grows)).toBeNull();
  });
});

describe('inviteLanguage', () => {
  it('an interpreter must name a well-formed language; it is stored canonical', () => {
    expect(inviteLanguage('interpreter', 'AR')).toEqual({ language: 'ar' });
    expect(inviteLanguage('interpreter', undefined)).toBeNull();
    expect(inviteLanguage('interpreter', 'Arabic')).toBeNull();
  });

  it.each(MEETING_ROLES.filter((r) => r !== 'interpreter'))(
    '%s names no language',
    (role: MeetingRole) => {
      expect(inviteLanguage(role, undefined)).toEqual({ language: null });
      expect(inviteLanguage(role, 'ar')).toBeNull();
    },
  );

  it('only the interpreter names a language', () => {
    expect(MEETING_ROLES.filter((r) => NAMES_A_LANGUAGE[r])).toEqual(['interpreter']);
  });
});
