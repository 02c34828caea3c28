import { NetworkCheckResponse } from '@polyphony/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { addressOf, checkNetwork, isNetworkCheck } from './network-check.ts';

const probe = { urls: 'turn:turn.example.org:3478?transport=udp', username: 'u', credential: 'c' };
const answers: [string, unknown][] = [
  ['everything', { mediaServer: 'https://media.example.org', udp: probe, tls: probe }],
  ['no TURN', { mediaServer: 'http://127.0.0.1:7880', udp: null, tls: null }],
  ['extra field', { mediaServer: 'x', udp: null, tls: null, more: 1 }],
  [
    'probe without credential',
    { mediaServer: 'x', udp: { urls: 'turn:a', username: 'u' }, tls: null },
  ],
  ['no media server', { udp: null, tls: null }],
  ['null', null],
];

describe('the network check', () => {
  it.each(answers)('agrees with the protocol schema: %s', (_name, value) => {
    expect(isNetworkCheck(value)).toBe(Value.Check(NetworkCheckResponse, value));
  });

  it.each([
    ['turn:turn.example.org:3478?transport=udp', 'turn.example.org:3478'],
    ['turns:turn.example.org:443?transport=tcp', 'turn.example.org:443'],
    ['https://media.example.org', 'media.example.org:443'],
    ['http://127.0.0.1:7880', '127.0.0.1:7880'],
  ])('names the address of %s', (url, address) => {
    expect(addressOf(url)).toBe(address);
  });

  it('says a way the deployment does not offer is not offered, and a failed fetch is blocked', async () => {
    const report = await checkNetwork(
      { mediaServer: 'http://127.0.0.1:1', udp: null, tls: null },
      {
        fetch: () => Promise.reject(new TypeError('Failed to fetch')),
        createPeerConnection: () => {
          throw new Error('not used');
        },
      },
    );
    expect(report).toEqual({
      udp: { result: 'not_offered', address: null },
      tcp: { result: 'blocked', address: '127.0.0.1:1' },
      tls: { result: 'not_offered', address: null },
    });
  });
});
