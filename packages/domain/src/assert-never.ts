/**
 * Marks a branch the type system proves unreachable, so adding a member to a union (a role, a
 * mode, an event) fails compilation at every `switch` that forgot it. Reaching it at run time
 * is a bug, not an expected failure, so it throws.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
