import { beforeEach, describe, expect, it, vi } from 'vitest';

const goto = vi.fn(async () => {});
vi.mock('$app/navigation', () => ({ goto }));
vi.mock('$app/paths', () => ({ resolve: (path: string) => path }));

const { StaffAction } = await import('./staff-action.svelte.ts');

describe('StaffAction', () => {
  beforeEach(() => goto.mockClear());

  it('is busy while the call runs, then hands the value on', async () => {
    const action = new StaffAction();
    const done = vi.fn();
    let busyDuring = false;
    const ok = await action.run(async () => {
      busyDuring = action.busy;
      return { ok: true, value: 7 } as const;
    }, done);
    expect({ ok, busyDuring, busy: action.busy, failure: action.failure }).toEqual({
      ok: true,
      busyDuring: true,
      busy: false,
      failure: null,
    });
    expect(done).toHaveBeenCalledWith(7);
  });

  it('keeps a coded failure and clears it on the next run', async () => {
    const action = new StaffAction();
    action.fail('VALIDATION_FAILED', 'not a date');
    const done = vi.fn();
    const ok = await action.run(
      async () => ({ ok: false, code: 'CONFLICT', status: 409 }) as const,
      done,
    );
    expect({ ok, failure: action.failure, text: action.failureText }).toEqual({
      ok: false,
      failure: 'CONFLICT',
      text: undefined,
    });
    expect(done).not.toHaveBeenCalled();
    await action.run(async () => ({ ok: true, value: null }) as const);
    expect(action.failure).toBeNull();
  });

  it('goes to sign-in when signed out, without showing a failure', async () => {
    const action = new StaffAction();
    const ok = await action.run(
      async () => ({ ok: false, code: 'UNAUTHENTICATED', status: 401 }) as const,
    );
    expect({ ok, failure: action.failure }).toEqual({ ok: false, failure: null });
    expect(goto).toHaveBeenCalledWith('/staff/sign-in');
  });
});
