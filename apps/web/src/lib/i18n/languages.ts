/**
 * Languages offered when staff make an interpreter's link, as BCP 47 tags (ADR 0027): those
 * most asked for in Finnish and British services, and sign languages. The server accepts any
 * well-formed tag; the page names each in the reader's own language.
 */
export const INTERPRETER_LANGUAGES = [
  'ar',
  'fa',
  'fa-AF',
  'ps',
  'ckb',
  'ku',
  'so',
  'ti',
  'am',
  'sw',
  'uk',
  'ru',
  'et',
  'pl',
  'ro',
  'sq',
  'tr',
  'ur',
  'bn',
  'pa',
  'ne',
  'my',
  'th',
  'vi',
  'zh',
  'es',
  'fr',
  'pt',
  'sv',
  'fi',
  'en',
  'se',
  'fse',
  'fss',
  'bfi',
] as const;

/** Names the browser's language data may lack (sign languages), from the message catalogue. */
export type OwnLanguageNames = Readonly<Record<string, () => string>>;

/**
 * A language tag's name in `locale` ("ar" → "Arabic", "arabia"): the catalogue's own name if it
 * has one, else the browser's (`Intl.DisplayNames`), else the tag itself, so a language is never
 * hidden for want of a name.
 */
export function languageName(tag: string, locale: string, own: OwnLanguageNames): string {
  const ours = own[tag];
  if (ours) return ours();
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(tag);
    return name && name !== tag ? capitalise(name, locale) : tag;
  } catch {
    return tag;
  }
}

/** Finnish names languages in lower case ("arabia"); a list or a label after a dash starts with one. */
function capitalise(name: string, locale: string): string {
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/** The offered languages with their names in `locale`, in that language's alphabetical order. */
export function languageChoices(
  locale: string,
  own: OwnLanguageNames,
): { readonly tag: string; readonly name: string }[] {
  return INTERPRETER_LANGUAGES.map((tag) => ({ tag, name: languageName(tag, locale, own) })).sort(
    (a, b) => a.name.localeCompare(b.name, locale),
  );
}
