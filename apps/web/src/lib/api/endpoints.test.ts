import { ENDPOINTS } from '@polyphony/protocol';
import { isCommandResponse, isMeetingListResponse } from 'virtual:checks';
import { ROUTES } from 'virtual:endpoints';
import { describe, expect, it } from 'vitest';
import { callEndpoint, CSRF_HEADER, endpointPath } from './endpoints.ts';

type Seen = { url: string; init: RequestInit };

const fake = (seen: Seen[], status: number, body: unknown): typeof fetch =>
  ((url: string, init: RequestInit) => {
    seen.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as unknown as typeof fetch;

describe('the web client of the endpoint table', () => {
  it('knows every endpoint of the table, by its method and path only', () => {
    for (const [name, e] of Object.entries(ENDPOINTS)) {
      expect(ROUTES[name as keyof typeof ROUTES]).toEqual({ method: e.method, path: e.path });
    }
    expect(Object.keys(ROUTES)).toEqual(Object.keys(ENDPOINTS));
  });

  it('builds paths with encoded parameters and a query', () => {
    expect(endpointPath('updateMember', { params: { id: 'n/1', memberId: 'm 2' } })).toBe(
      '/api/networks/n%2F1/members/m%202',
    );
    expect(endpointPath('listMeetings', { query: { state: 'live' } })).toBe(
      '/api/meetings?state=live',
    );
    expect(endpointPath('live', { params: { id: 'm1' }, query: {} })).toBe('/api/meetings/m1/live');
  });

  it('sends the CSRF token on a state change, not on a read, and checks the answer', async () => {
    const seen: Seen[] = [];
    const post = await callEndpoint(
      'switchMode',
      { params: { id: 'm1' }, body: { mode: 'reflecting' } },
      isCommandResponse,
      { csrfToken: 't1', fetcher: fake(seen, 200, { seq: 4 }) },
    );
    expect(post).toEqual({ ok: true, value: { seq: 4 } });
    expect(seen[0]).toMatchObject({
      url: '/api/meetings/m1/mode',
      init: { method: 'POST', headers: { [CSRF_HEADER]: 't1' }, body: '{"mode":"reflecting"}' },
    });
    const get = await callEndpoint(
      'listMeetings',
      { query: { state: 'upcoming' } },
      isMeetingListResponse,
      { csrfToken: 't1', fetcher: fake(seen, 200, { meetings: 'not a list' }) },
    );
    expect(get).toEqual({ ok: false, code: 'INTERNAL', status: 200 });
    expect(seen[1]?.init.headers).toEqual({});
  });
});
