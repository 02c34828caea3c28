import type { MeetingRole } from './roles.ts';

/**
 * Which roles' links name a language: only an interpreter's (product.md section 2, "interprets
 * for the family in a named language"). Kept as a table so a new role must say whether it does.
 */
export const NAMES_A_LANGUAGE = {
  facilitator: false,
  cofacilitator: false,
  team: false,
  centre: false,
  network: false,
  observer: false,
  interpreter: true,
} as const satisfies Record<MeetingRole, boolean>;

/** The longest language tag accepted (BCP 47 allows more; no interpreter needs it). */
export const MAX_LANGUAGE_TAG = 35;

/** The shape of a language tag: a 2–3 letter language, then hyphenated subtags. */
export const LANGUAGE_TAG_PATTERN = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$';

/**
 * The language as stored: a BCP 47 language tag in its canonical form ("ar", "fa-AF", "fse" for
 * Finnish Sign Language), so that every page can name it in its own language (ADR 0027). Null
 * when the text is not a well-formed tag, or longer than {@link MAX_LANGUAGE_TAG}.
 */
export function canonicalLanguage(tag: string): string | null {
  if (tag.length === 0 || tag.length > MAX_LANGUAGE_TAG) return null;
  if (!new RegExp(LANGUAGE_TAG_PATTERN).test(tag)) return null;
  try {
    // One tag in, one out; replacing a deprecated subtag can lengthen it ("sh" → "sr-Latn").
    const canonical = String(Intl.getCanonicalLocales(tag));
    return canonical.length <= MAX_LANGUAGE_TAG ? canonical : null;
  } catch {
    return null;
  }
}

/**
 * The language stored with a new link for this role: an interpreter's link must name one, and
 * no other link may (a language on a family member's link would be a label nobody sees agreed
 * to). `{ language }` when the request fits, canonical; `null` when it is refused.
 */
export function inviteLanguage(
  role: MeetingRole,
  requested: string | undefined,
): { readonly language: string | null } | null {
  if (!NAMES_A_LANGUAGE[role]) return requested === undefined ? { language: null } : null;
  if (requested === undefined) return null;
  const language = canonicalLanguage(requested);
  return language === null ? null : { language };
}
