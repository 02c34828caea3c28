import { describe, expect, it } from 'vitest';
import { base62, turnCredentials } from './livekit-turn.ts';

// Vectors printed by github.com/jxskiss/base62 v1.1.0 (the library livekit-server v1.13.5
// checks TURN credentials with), from a small Go program against the module cache.
describe('TURN credentials as LiveKit checks them', () => {
  it.each([
    ['a', 'hB'],
    ['ab', 'iFG'],
    ['hello world', 'kxmcvdHIvxGblhG'],
    ['devkey|probe-abc|1700000000', 'wADMwADMwAzNxw3YiFWLlJ2byBHfyrs1srMyA'],
    ['\xff\xfe\x00\x1e>', 'exDA8ffB'],
  ])('encodes %j as jxskiss/base62 does', (input, encoded) => {
    expect(base62(Buffer.from(input, 'latin1'))).toBe(encoded);
  });

  it('makes the username and password of turn.go', () => {
    expect(
      turnCredentials({ apiKey: 'devkey', apiSecret: 'secret' }, 'probe-abc', 1_700_000_000_000),
    ).toEqual({
      username: 'wADMwADMwAzNxw3YiFWLlJ2byBHfyrs1srMyA',
      credential: 'wcXLEOBFhvirdhSTewVVK21HnX2cTkxD83KyuYeFDvK',
    });
  });
});
