import { error, redirect } from '@sveltejs/kit';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { ApiResult } from './client.ts';

/** The signed-out answer, in a load or after an action: go to the sign-in page. */
const isSignedOut = (result: ApiResult<unknown>) => !result.ok && result.code === 'UNAUTHENTICATED';

/**
 * For `load` functions: the value, or a redirect to sign-in on 401, or SvelteKit's error page
 * carrying the coded error (its `message` is the `ErrorCode`, shown through `ERROR_TEXT`).
 */
export function loaded<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  if (isSignedOut(result)) redirect(303, resolve('/staff/sign-in'));
  error(result.status >= 400 ? result.status : 503, result.code);
}

/** For actions: on 401 go to sign-in (and report true); otherwise leave the result to the caller. */
export async function signedOut(result: ApiResult<unknown>): Promise<boolean> {
  if (!isSignedOut(result)) return false;
  await goto(resolve('/staff/sign-in'));
  return true;
}
