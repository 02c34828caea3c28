import { describe, expect, it } from 'vitest';
import { RoomCommands } from './room-commands.svelte.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

function fakeFetch(answer: (url: string) => [number, unknown], calls: Call[]): typeof fetch {
  return ((url: string, init?: RequestInit) => {
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const [status, body] = answer(url);
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as typeof fetch;
}

const me = {
  staff: {
    id: '0b6c9a52-5a1e-4f7e-9d2b-3c1f2a4b5c6d',
    email: 'lee@example.org',
    displayName: 'Dr Lee',
    role: 'clinician',
  },
  organisation: { id: '1c7d0b63-6b2f-4a8f-8e3c-4d2a3b5c6d7e', name: 'Org', contact: null },
  csrfToken: 'staff-token',
};

describe('RoomCommands', () => {
  it('leaving tells the server (DELETE me) with the staff CSRF token', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch((url) => (url === '/api/me' ? [200, me] : [200, { seq: 9 }]), calls),
    );
    expect(await commands.leave()).toBe(true);
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del?.url).toBe('/api/meetings/m1/participants/me');
    expect(del?.headers['x-csrf-token']).toBe('staff-token');
  });

  it('a guest tab that lost its stored token acts with the one the live channel handed over', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm-lost-token',
      fakeFetch((url) => {
        if (url === '/api/me') return [401, { error: { code: 'UNAUTHENTICATED', message: '' } }];
        return calls.at(-1)?.headers['x-csrf-token'] === 'live-token'
          ? [200, { seq: 3 }]
          : [403, { error: { code: 'CSRF_FAILED', message: '' } }];
      }, calls),
    );
    // Without it the guest has nothing to send (the staff-only /api/me refuses them).
    expect(await commands.wishToRespond()).toBe(false);
    expect(commands.error).toBe('CSRF_FAILED');
    commands.useCsrfToken('live-token');
    expect(await commands.wishToRespond()).toBe(true);
    expect(calls.at(-1)?.headers['x-csrf-token']).toBe('live-token');
    expect(commands.error).toBeNull();
  });

  it('knocking again sends who is with the person', async () => {
    const calls: Call[] = [];
    const answer = { meetingId: me.organisation.id, participantId: me.staff.id, seq: 4 };
    const commands = new RoomCommands(
      'm1',
      fakeFetch((url) => (url === '/api/me' ? [200, me] : [200, answer]), calls),
    );
    expect(await commands.enter(['Mum Alex'])).toBe(true);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('/api/meetings/m1/participants/me');
    expect(post?.body).toEqual({ companions: ['Mum Alex'] });
  });

  it('entering again is refused without a place, with the code kept', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch(() => [403, { error: { code: 'NOT_A_PARTICIPANT', message: '' } }], calls),
    );
    expect(await commands.enter()).toBe(false);
    expect(commands.error).toBe('NOT_A_PARTICIPANT');
    expect(
      calls.some((c) => c.method === 'POST' && c.url === '/api/meetings/m1/participants/me'),
    ).toBe(true);
  });

  it('posts a participant command and reports success', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch(
        (url) =>
          url === '/api/me'
            ? [401, { error: { code: 'UNAUTHENTICATED', message: '' } }]
            : [200, { seq: 4 }],
        calls,
      ),
    );
    expect(await commands.participant('admit', 'p2')).toBe(true);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('/api/meetings/m1/participants/p2/admit');
    expect(commands.error).toBeNull();
    expect(commands.isPending('admit:p2')).toBe(false);
  });

  it('sends the wish to respond and companions as PATCH me', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch(() => [200, { seq: 1 }], calls),
    );
    await commands.wishToRespond();
    await commands.setCompanions(['Mum']);
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => c.body)).toEqual([{ wishToRespond: true }, { companions: ['Mum'] }]);
    expect(patches.every((c) => c.url === '/api/meetings/m1/participants/me')).toBe(true);
  });

  it("uses a signed-in staff member's CSRF token", async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch((url) => (url === '/api/me' ? [200, me] : [200, { seq: 2 }]), calls),
    );
    await commands.switchMode('reflecting');
    const post = calls.find((c) => c.url === '/api/meetings/m1/mode');
    expect(post?.headers['x-csrf-token']).toBe('staff-token');
    expect(post?.body).toEqual({ mode: 'reflecting' });
  });

  it('a switch while the database is down keeps its code (the room says the call goes on), then works', async () => {
    const calls: Call[] = [];
    let down = true;
    const commands = new RoomCommands(
      'm1',
      fakeFetch((url) => {
        if (url === '/api/me') return [200, me];
        return down
          ? [503, { error: { code: 'DATABASE_UNAVAILABLE', message: 'briefly unavailable' } }]
          : [200, { seq: 5 }];
      }, calls),
    );
    expect(await commands.switchMode('reflecting')).toBe(false);
    expect(commands.error).toBe('DATABASE_UNAVAILABLE');
    expect(commands.isPending('mode')).toBe(false);
    down = false;
    expect(await commands.switchMode('reflecting')).toBe(true);
    expect(commands.error).toBeNull();
  });

  it('keeps the error code of a refusal', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch(() => [403, { error: { code: 'FORBIDDEN', message: '' } }], calls),
    );
    expect(await commands.end()).toBe(false);
    expect(commands.error).toBe('FORBIDDEN');
  });

  it('ending with the next meeting writes its time in the record, then ends', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch((url) => (url === '/api/me' ? [200, me] : [200, { seq: 3 }]), calls),
    );
    expect(await commands.end('2026-03-02T08:00:00.000Z')).toBe(true);
    const posts = calls.filter((c) => c.method === 'POST').map((c) => c.url);
    expect(posts).toEqual(['/api/meetings/m1/record', '/api/meetings/m1/end']);
    expect(calls.find((c) => c.url === '/api/meetings/m1/record')?.body).toMatchObject({
      kind: 'next_meeting',
      text: '',
      meetingAt: '2026-03-02T08:00:00.000Z',
    });
  });

  it('does not end when the next meeting cannot be written down', async () => {
    const calls: Call[] = [];
    const commands = new RoomCommands(
      'm1',
      fakeFetch(
        (url) =>
          url === '/api/me'
            ? [200, me]
            : [400, { error: { code: 'VALIDATION_FAILED', message: '' } }],
        calls,
      ),
    );
    expect(await commands.end('2026-03-02T08:00:00.000Z')).toBe(false);
    expect(commands.error).toBe('VALIDATION_FAILED');
    expect(calls.some((c) => c.url === '/api/meetings/m1/end')).toBe(false);
  });
});
