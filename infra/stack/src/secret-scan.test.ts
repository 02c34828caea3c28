import { describe, expect, it } from 'vitest';
import { findSecrets, secretForms, type Secret } from './secret-scan.ts';

// A key with '+' and '/' in its base64, so base64 and base64url differ.
const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, ...Array.from({ length: 29 }, (_, i) => i)]);
const secret: Secret = { label: 'media key', bytes };
const forms = secretForms(bytes);

describe('findSecrets', () => {
  it.each([
    ['hex', forms.hex, ['hex']],
    ['hex in capitals', `{"k":"${forms.hex.toUpperCase()}"}`, ['hex']],
    ['bytea as Postgres prints it', `(7,\\x${forms.hex})`, ['hex']],
    ['base64', `key=${forms.base64}`, ['base64', 'base64Unpadded']],
    ['base64url', `"${forms.base64url}"`, ['base64url']],
    ['nothing', 'a log line with no key in it', []],
    ['another key', secretForms(new Uint8Array(32)).hex, []],
  ])('%s', (_name, text, expected) => {
    expect(findSecrets([{ where: 'x', text }], [secret]).map((h) => h.form)).toEqual(expected);
  });

  it('finds raw bytes in a file', () => {
    const raw = Buffer.concat([Buffer.from('head'), Buffer.from(bytes), Buffer.from('tail')]);
    expect(findSecrets([{ where: 'f', text: '', raw }], [secret])).toEqual([
      { label: 'media key', where: 'f', form: 'raw' },
    ]);
  });
});
