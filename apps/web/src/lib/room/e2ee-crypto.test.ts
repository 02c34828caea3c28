import { describe, expect, it } from 'vitest';
import { CODE_WORDS_EN, CODE_WORDS_FI } from './code-words.ts';
import {
  CODE_WORDS,
  codeWords,
  fromBase64Url,
  generateDeviceKey,
  newMediaKey,
  ratchetMediaKey,
  securityCodeBytes,
  toBase64Url,
  unwrapMediaKey,
  wrapMediaKey,
  type WrapContext,
} from './e2ee-crypto.ts';

const context: WrapContext = {
  meetingId: 'm1',
  generation: 3,
  sender: 'a.1',
  recipient: 'b.1',
  keyIndex: 3,
};

describe('device keys and wrapped media keys', () => {
  it.each([['X25519'], ['P-256']] as const)(
    'a copy wrapped with %s opens for its recipient only, in its context only',
    async (curve) => {
      const [alice, bob, eve] = await Promise.all([
        generateDeviceKey([curve]),
        generateDeviceKey([curve]),
        generateDeviceKey([curve]),
      ]);
      expect(alice.curve).toBe(curve);
      expect(fromBase64Url(alice.publicKey)).toHaveLength(curve === 'X25519' ? 32 : 65);
      // The private key cannot be read out, not even by this page's code.
      expect(alice.privateKey.extractable).toBe(false);

      const key = newMediaKey();
      const copy = await wrapMediaKey(key, alice, bob, context);
      expect(await unwrapMediaKey(copy, bob, alice, context)).toEqual(key);

      // Someone else, another context (meeting, generation, ends, slot), or a changed byte: refused.
      await expect(unwrapMediaKey(copy, eve, alice, context)).rejects.toThrow();
      for (const change of [
        { meetingId: 'm2' },
        { generation: 4 },
        { sender: 'c.1' },
        { recipient: 'b.2' },
        { keyIndex: 4 },
      ]) {
        await expect(unwrapMediaKey(copy, bob, alice, { ...context, ...change })).rejects.toThrow();
      }
      const bytes = fromBase64Url(copy.wrapped);
      bytes[0] = bytes[0]! ^ 1;
      await expect(
        unwrapMediaKey({ ...copy, wrapped: toBase64Url(bytes) }, bob, alice, context),
      ).rejects.toThrow();
    },
  );

  it('refuses to agree a key across curves', async () => {
    const [x, p] = await Promise.all([generateDeviceKey(['X25519']), generateDeviceKey(['P-256'])]);
    await expect(wrapMediaKey(newMediaKey(), x, p, context)).rejects.toThrow(/different curves/);
  });

  it('falls back to P-256 where a curve is missing', async () => {
    const pair = await generateDeviceKey(['no-such-curve' as 'X25519', 'P-256']);
    expect(pair.curve).toBe('P-256');
    await expect(generateDeviceKey(['no-such-curve' as 'X25519'])).rejects.toThrow();
  });

  it('round-trips base64url', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(65));
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(toBase64Url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('the security code', () => {
  const keys = [
    { identity: 'a.1', curve: 'X25519', publicKey: 'AAAA' },
    { identity: 'b.1', curve: 'X25519', publicKey: 'BBBB' },
  ];

  it('is the same whatever order the keys come in', async () => {
    const one = await securityCodeBytes('m1', keys);
    expect(one).toHaveLength(CODE_WORDS);
    expect(await securityCodeBytes('m1', [...keys].reverse())).toEqual(one);
  });

  it.each([
    ['another meeting', 'm2', keys],
    ['a substituted public key', 'm1', [keys[0]!, { ...keys[1]!, publicKey: 'EVIL' }]],
    ['a new admission (epoch)', 'm1', [keys[0]!, { ...keys[1]!, identity: 'b.2' }]],
    ['someone more', 'm1', [...keys, { identity: 'c.1', curve: 'X25519', publicKey: 'CCCC' }]],
    ['someone fewer', 'm1', [keys[0]!]],
  ])('changes with %s', async (_what, meetingId, changed) => {
    expect(await securityCodeBytes(meetingId, changed)).not.toEqual(
      await securityCodeBytes('m1', keys),
    );
  });

  it('reads as words of two fixed lists of 256 distinct words', () => {
    for (const list of [CODE_WORDS_EN, CODE_WORDS_FI]) {
      expect(list).toHaveLength(256);
      expect(new Set(list).size).toBe(256);
    }
    expect(codeWords(new Uint8Array([0, 255]), CODE_WORDS_EN)).toEqual([
      CODE_WORDS_EN[0],
      CODE_WORDS_EN[255],
    ]);
    expect(() => codeWords(new Uint8Array([0]), ['one'])).toThrow();
  });
});

describe('the ratchet on admission', () => {
  const context = { meetingId: 'm-1', sender: 'p-1.1', generation: 5 };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  it('derives the same next key from the same key and context, and a different one otherwise', async () => {
    const key = newMediaKey();
    const next = await ratchetMediaKey(key, context);
    expect(next).toHaveLength(32);
    expect(hex(await ratchetMediaKey(key, context))).toBe(hex(next));
    expect(hex(next)).not.toBe(hex(key));
    for (const other of [
      { ...context, generation: 6 },
      { ...context, sender: 'p-2.1' },
      { ...context, meetingId: 'm-2' },
    ])
      expect(hex(await ratchetMediaKey(key, other))).not.toBe(hex(next));
    expect(hex(await ratchetMediaKey(newMediaKey(), context))).not.toBe(hex(next));
  });
});
