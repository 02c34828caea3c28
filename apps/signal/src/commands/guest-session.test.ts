import { describe, expect, it } from 'vitest';
import { guestCsrfMatches, guestCsrfToken } from './guest-session.ts';

const SECRET = 's'.repeat(32);

describe('guest CSRF token', () => {
  it('is derived from the session hash and the secret', () => {
    const token = guestCsrfToken(SECRET, 'hash-a');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(guestCsrfToken(SECRET, 'hash-a')).toBe(token);
    expect(guestCsrfToken(SECRET, 'hash-b')).not.toBe(token);
    expect(guestCsrfToken('t'.repeat(32), 'hash-a')).not.toBe(token);
  });

  it.each([
    ['the right token', (t: string) => t, true],
    ['no token', () => undefined, false],
    ['another session', () => guestCsrfToken(SECRET, 'hash-b'), false],
    ['a prefix', (t: string) => t.slice(0, 10), false],
  ] as const)('accepts %s: %s', (_label, present, ok) => {
    const token = guestCsrfToken(SECRET, 'hash-a');
    expect(guestCsrfMatches(SECRET, 'hash-a', present(token))).toBe(ok);
  });
});
