import { MAX_COMPANION_NAME, MAX_COMPANIONS } from '@polyphony/domain';

export type CompanionProblem = 'empty' | 'too_long' | 'too_many' | 'repeated';

export type AddCompanionResult =
  | { readonly ok: true; readonly list: readonly string[] }
  | { readonly ok: false; readonly problem: CompanionProblem };

/** "Who is with you": adds one name, trimmed, refusing what the server would refuse. */
export function addCompanion(list: readonly string[], raw: string): AddCompanionResult {
  const name = raw.trim();
  if (name === '') return { ok: false, problem: 'empty' };
  if (name.length > MAX_COMPANION_NAME) return { ok: false, problem: 'too_long' };
  if (list.includes(name)) return { ok: false, problem: 'repeated' };
  if (list.length >= MAX_COMPANIONS) return { ok: false, problem: 'too_many' };
  return { ok: true, list: [...list, name] };
}

/**
 * The list to declare when the person is done (presses Join or Save): a name still typed in
 * the field counts as added, since they meant it. A blank field or a name already listed
 * changes nothing; a name that cannot be added is a problem to show before going on.
 */
export function withTypedCompanion(list: readonly string[], typed: string): AddCompanionResult {
  const result = addCompanion(list, typed);
  if (result.ok) return result;
  return result.problem === 'empty' || result.problem === 'repeated' ? { ok: true, list } : result;
}

export function removeCompanion(list: readonly string[], name: string): readonly string[] {
  return list.filter((n) => n !== name);
}

/** Whether two declarations name the same people in the same order. */
export function sameCompanions(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
