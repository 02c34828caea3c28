import { describe, expect, it } from 'vitest';
import { isHealthResponse } from 'virtual:checks';
import { callApi } from './client.ts';
import { callEndpoint } from './endpoints.ts';

const getHealth = (fetcher: typeof fetch) =>
  callEndpoint('health', {}, isHealthResponse, { fetcher });

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
      'a link that does not work, with whom to ask',
      answer(404, { error: { code: 'LINK_INVALID', message: 'x', contact: '040 123' } }),
      { ok: false, code: 'LINK_INVALID', status: 404, contact: '040 123' },
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
        path: '/x',
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
