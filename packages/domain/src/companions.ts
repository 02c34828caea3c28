import type { Companion, Participant } from './meeting-state.ts';
import { nameKey, normaliseName } from './names.ts';

/** Most companions one device may declare; more is not a household, it is a broadcast. */
export const MAX_COMPANIONS = 12;
/** Longest companion name, in characters. */
export const MAX_COMPANION_NAME = 80;

/**
 * Cleans a declared list: normalises names as every name is ({@link normaliseName}: NFC,
 * invisible and bidi characters stripped), drops empty ones and repeats (keeping first order).
 * `null` when the list is too long or a name too long; the protocol schemas should have refused
 * it, so the caller answers `INVALID_INPUT`.
 */
export function normaliseCompanions(names: readonly string[]): readonly string[] | null {
  const cleaned: string[] = [];
  const keys = new Set<string>();
  for (const raw of names) {
    const name = normaliseName(raw);
    if (name.length > MAX_COMPANION_NAME) return null;
    const key = nameKey(name);
    if (name !== '' && !keys.has(key)) {
      keys.add(key);
      cleaned.push(name);
    }
  }
  return cleaned.length > MAX_COMPANIONS ? null : cleaned;
}

/**
 * The companion list after a declaration. A name the centre person already agreed to stays
 * agreed; a new name awaits agreement. The centre person's own companions need nobody's
 * agreement: they declared them.
 */
export function declareCompanions(
  participant: Participant,
  names: readonly string[],
): readonly Companion[] {
  const agreed = new Set(participant.companions.filter((c) => c.agreed).map((c) => c.name));
  const own = participant.role === 'centre';
  return names.map((name) => ({ name, agreed: own || agreed.has(name) }));
}

/** Names added and removed between two declarations, for the announcement to everyone. */
export function companionChanges(
  before: readonly Companion[],
  after: readonly Companion[],
): { readonly added: readonly string[]; readonly removed: readonly string[] } {
  const was = new Set(before.map((c) => c.name));
  const now = new Set(after.map((c) => c.name));
  return {
    added: after.map((c) => c.name).filter((n) => !was.has(n)),
    removed: before.map((c) => c.name).filter((n) => !now.has(n)),
  };
}
