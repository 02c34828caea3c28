import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, type HttpExchange, type HttpReply } from './api-driver.ts';

/** A transport that records each exchange and answers from a list. */
function scripted(replies: Partial<HttpReply>[]) {
  const seen: HttpExchange[] = [];
  const transport = async (exchange: HttpExchange): Promise<HttpReply> => {
    seen.push(exchange);
    const r = replies.shift() ?? {};
    return { status: 200, headers: {}, setCookies: [], text: '', ...r };
  };
  return { seen, transport };
}

describe('ApiClient, the tests’ one HTTP client', () => {
  it('keeps cookies and learns the CSRF token like the pages do, and sends them back', async () => {
    const { seen, transport } = scripted([
      {
        text: JSON.stringify({ csrfToken: 'c1' }),
        setCookies: ['pp_staff=abc; Path=/api; HttpOnly'],
      },
      { status: 204 },
      { setCookies: ['pp_staff=; Max-Age=0; Path=/api'] },
    ]);
    const client = new ApiClient(transport, 'http://app.example');
    await client.endpoint('signIn', { body: { email: 'a@example.org', password: 'pw' } });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/session',
      headers: { origin: 'http://app.example', 'content-type': 'application/json' },
    });
    expect(seen[0]!.headers['x-csrf-token']).toBeUndefined();
    await client.endpoint('removeMember', { params: { id: 'n 1', memberId: 'm/2' } });
    expect(seen[1]).toMatchObject({
      method: 'DELETE',
      path: '/api/networks/n%201/members/m%2F2',
      headers: { cookie: 'pp_staff=abc', 'x-csrf-token': 'c1' },
    });
    await client.endpoint('signOut');
    expect(client.cookies.size).toBe(0);
  });

  it('lets a test send what a page would not: no Origin, another one, no or a wrong token', async () => {
    const { seen, transport } = scripted([{}, {}, {}]);
    const client = new ApiClient(transport, 'http://app.example');
    client.csrfToken = 'c1';
    await client.request('POST', '/api/networks', {}, { origin: null, csrf: null });
    await client.request(
      'POST',
      '/api/networks',
      {},
      { origin: 'https://evil.example', csrf: 'x' },
    );
    await client.endpoint('listMeetings', { query: { state: 'live' } });
    expect(seen[0]!.headers).toEqual({ 'content-type': 'application/json' });
    expect(seen[1]!.headers).toMatchObject({ origin: 'https://evil.example', 'x-csrf-token': 'x' });
    expect(seen[2]).toMatchObject({ method: 'GET', path: '/api/meetings?state=live' });
    expect(seen[2]!.headers['x-csrf-token']).toBeUndefined();
  });

  it('answers statuses as values, and `call` throws the coded error for set-up code', async () => {
    const refusal = { status: 403, text: JSON.stringify({ error: { code: 'CSRF_FAILED' } }) };
    const { transport } = scripted([refusal, refusal, { text: 'not json' }]);
    const client = new ApiClient(transport, 'http://app.example');
    expect(await client.request('POST', '/api/x')).toMatchObject({
      status: 403,
      body: { error: { code: 'CSRF_FAILED' } },
    });
    await expect(client.call('POST', '/api/x')).rejects.toEqual(new ApiError(403, 'CSRF_FAILED'));
    expect(await client.request('GET', '/metrics')).toMatchObject({
      body: undefined,
      text: 'not json',
    });
  });
});
