/**
 * Characters stripped from every name (ADR 0015). Invisible ones a phone or a pasted contact
 * card may add, which also let two names look the same: zero-width space, non-joiner and joiner,
 * the direction marks LRM, RLM and ALM, word joiner and byte-order mark. Bidi embeddings,
 * overrides and isolates, which would reorder the names shown after this one. Control
 * characters (`Cc`: C0, DEL, C1). The protocol already refuses the last two kinds; the rule
 * here is total.
 */
const STRIPPED = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF]/gu;

/**
 * A person's name as it is stored and shown: Unicode NFC, the characters above removed, every
 * run of white space one plain space, no space at either end. `''` when nothing visible is left.
 */
export function normaliseName(raw: string): string {
  return raw.normalize('NFC').replace(STRIPPED, '').replace(/\s+/gu, ' ').trim();
}

/**
 * What two names are compared by: the normalised name in compatibility form (NFKC: full-width
 * letters and ligatures fold to plain ones) and lower case.
 */
export function nameKey(name: string): string {
  return normaliseName(name).normalize('NFKC').toLowerCase();
}

/**
 * Whether a guest may not take `candidate` as their name in a meeting, because someone the
 * roster already shows (`taken`: the other participants' names and the network's core team)
 * has it, compared by {@link nameKey}. Identical entries told apart only by a role label are
 * how someone would pass as the facilitator; a second Maria adds an initial.
 */
export function nameTaken(candidate: string, taken: readonly string[]): boolean {
  const key = nameKey(candidate);
  return taken.some((name) => nameKey(name) === key);
}

/**
 * A staff e-mail address as sign-in looks it up and as its attempts are counted: no white space
 * at either end, lower case. Both must use this one form, or a variant escapes the lock.
 */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
