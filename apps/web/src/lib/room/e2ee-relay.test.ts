import { describe, expect, it } from 'vitest';
import { e2eeRelay } from './e2ee-relay.ts';

/** A server that never answers: the request ends only when the caller gives it up. */
const hanging: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    if (!signal) return; // never settles: the test would time out
    signal.addEventListener('abort', () => reject(signal.reason as Error));
  });

describe('e2eeRelay', () => {
  it('gives up a request the server never answers, so the next read can come', async () => {
    const relay = e2eeRelay('meeting-1', async () => 'csrf', hanging, 50);
    await expect(relay.read()).resolves.toBeNull();
    await expect(
      relay.sendWrapped({ admission: 1, generation: 1, keyIndex: 1, copies: [] }),
    ).resolves.toBe(false);
  });

  it('passes an answer through', async () => {
    const body = { me: 'a.1', keys: [], mailbox: [], resend: [], taken: [] };
    const answering: typeof fetch = async () =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    expect(await e2eeRelay('meeting-1', async () => 'csrf', answering, 50).read()).toEqual(body);
  });
});
