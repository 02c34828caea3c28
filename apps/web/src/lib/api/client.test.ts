import { describe, expect, it } from 'vitest';
import { callApi, getHealth } from './client.ts';

const answer =
  (status: number, body: unknown): typeof fetch =>
  () =>
    Promise.resolve(
      new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
    );

describe('callApi', () => {
  it.each([
    ['a valid success body', answer(200, { status: 'ok' }), { ok: true, value: { status: 'ok' } }],
    [
      'a success body of the wrong shape',
      answer(200, { status: 'fine' }),
      { ok: false, code: 'INTERNAL', status: 200 },
    ],
    [
      'a coded error',
      answer(429, { error: { code: 'RATE_LIMITED', message: 'slow' } }),
      { ok: false, code: 'RATE_LIMITED', status: 429 },
    ],
    [
      'the front server’s 502',
      answer(502, { error: { code: 'UNAVAILABLE', message: 'x' } }),
      { ok: false, code: 'UNAVAILABLE', status: 502 },
    ],
    [
      'an unknown error code',
      answer(500, { error: { code: 'BOOM', message: 'x' } }),
      { ok: false, code: 'INTERNAL', status: 500 },
    ],
    ['a non-JSON body', answer(500, '<html>'), { ok: false, code: 'INTERNAL', status: 500 }],
    [
      'a network failure',
      () => Promise.reject(new TypeError('offline')),
      { ok: false, code: 'UNAVAILABLE', status: 0 },
    ],
  ])('maps %s', async (_name, fetcher, expected) => {
    expect(await getHealth(fetcher as typeof fetch)).toEqual(expected);
  });

  it('sends JSON bodies with the same-origin cookie policy', async () => {
    let seen: RequestInit | undefined;
    const fetcher = ((_url: string, init: RequestInit) => {
      seen = init;
      return Promise.resolve(new Response('{}', { status: 200 }));
    }) as unknown as typeof fetch;
    await callApi(
      {
        method: 'POST',
        path: '/api/x',
        body: { a: 1 },
        response: (v): v is object => typeof v === 'object',
      },
      fetcher,
    );
    expect(seen).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
  });
});
