import { describe, expect, it } from 'vitest';
import { CSRF_HEADER, StaffApi } from './staff.ts';

const ME = {
  staff: {
    id: '00000000-0000-4000-8000-000000000001',
    displayName: 'Dr Lee',
    email: 'lee@example.org',
    role: 'admin',
  },
  organisation: { id: '00000000-0000-4000-8000-000000000002', name: 'Team', contact: null },
  csrfToken: 'csrf-1',
};

/** A fake signal service: answers by method and path, and records what was sent. */
function fakeFetch(answers: Record<string, { status: number; body?: unknown }>) {
  const seen: { key: string; headers: Record<string, string> }[] = [];
  const fetcher = ((url: string, init: RequestInit) => {
    const key = `${init.method} ${url}`;
    seen.push({ key, headers: (init.headers ?? {}) as Record<string, string> });
    const answer = answers[key] ?? {
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: '' } },
    };
    return Promise.resolve(
      new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
      }),
    );
  }) as unknown as typeof fetch;
  return { fetcher, seen };
}

describe('StaffApi', () => {
  it('sends the CSRF token learnt at sign-in on state changes, and forgets it at sign-out', async () => {
    const { fetcher, seen } = fakeFetch({
      'POST /api/session': { status: 200, body: ME },
      'DELETE /api/session': { status: 204 },
      'POST /api/networks': {
        status: 401,
        body: { error: { code: 'UNAUTHENTICATED', message: '' } },
      },
    });
    const api = new StaffApi(fetcher);
    expect(api.signedIn).toBe(false);
    expect((await api.signIn({ email: 'lee@example.org', password: 'pw' })).ok).toBe(true);
    expect(seen[0]?.headers[CSRF_HEADER]).toBeUndefined();
    expect(api.signedIn).toBe(true);

    expect(await api.signOut()).toEqual({ ok: true, value: null });
    expect(seen[1]?.headers[CSRF_HEADER]).toBe('csrf-1');
    expect(api.signedIn).toBe(false);

    const after = await api.createNetwork({
      label: 'S',
      firstContactAt: '2025-01-01T00:00:00.000Z',
      coreTeamStaffIds: [],
    });
    expect(after).toEqual({ ok: false, code: 'UNAUTHENTICATED', status: 401 });
    expect(seen[2]?.headers[CSRF_HEADER]).toBeUndefined();
  });

  it('learns the token from /api/me and drops it when the session is gone', async () => {
    const ok = fakeFetch({ 'GET /api/me': { status: 200, body: ME } });
    const api = new StaffApi(ok.fetcher);
    await api.me();
    expect(api.signedIn).toBe(true);

    const gone = new StaffApi(
      fakeFetch({
        'GET /api/me': { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '' } } },
      }).fetcher,
    );
    expect(await gone.me()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(gone.signedIn).toBe(false);
  });

  it('treats a success body of the wrong shape as a server fault', async () => {
    const { fetcher } = fakeFetch({ 'GET /api/setup': { status: 200, body: { needed: 'yes' } } });
    expect(await new StaffApi(fetcher).setupStatus()).toEqual({
      ok: false,
      code: 'INTERNAL',
      status: 200,
    });
  });

  it('escapes ids in paths', async () => {
    const { fetcher, seen } = fakeFetch({});
    await new StaffApi(fetcher).meeting('../staff');
    expect(seen[0]?.key).toBe('GET /api/meetings/..%2Fstaff');
  });
});
