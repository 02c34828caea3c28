import type { ErrorCode } from '@polyphony/protocol';
import type { ApiResult } from '$lib/api/client.ts';
import { signedOut } from '$lib/api/staff-outcome.ts';

/**
 * One staff action at a time, as a form or a button shows it: `busy` while the call runs, its
 * coded failure after. A signed-out answer goes to the sign-in page.
 */
export class StaffAction {
  busy = $state(false);
  failure: ErrorCode | null = $state(null);
  /** Words for the failure when the page says more than `ERROR_TEXT` does. */
  failureText: string | undefined = $state();

  fail(code: ErrorCode | null, text?: string): void {
    this.failure = code;
    this.failureText = text;
  }

  /** Runs the call and, on success, `onDone` with its value; reports whether both happened. */
  async run<T>(
    call: () => Promise<ApiResult<T>>,
    onDone?: (value: T) => unknown,
  ): Promise<boolean> {
    this.busy = true;
    this.fail(null);
    const result = await call();
    this.busy = false;
    if (await signedOut(result)) return false;
    if (!result.ok) {
      this.fail(result.code);
      return false;
    }
    await onDone?.(result.value);
    return true;
  }
}
