import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** The guest session cookie: a random token; the database keeps only its SHA-256. */
export { GUEST_COOKIE } from '../live/cookies.ts';
import { GUEST_COOKIE } from '../live/cookies.ts';

/**
 * A guest's CSRF token, derived from the session (no column to store): base64url of
 * HMAC-SHA256(CSRF_SECRET, SHA-256 of the session token). Only someone who can read our
 * responses (the join answer) learns it; a cross-site form cannot.
 */
export function guestCsrfToken(secret: string, sessionHash: string): string {
  return createHmac('sha256', secret).update(sessionHash).digest('base64url');
}

/** Constant-time check of a presented guest CSRF token. */
export function guestCsrfMatches(
  secret: string,
  sessionHash: string,
  presented: string | undefined,
): boolean {
  if (!presented) return false;
  const expected = Buffer.from(guestCsrfToken(secret, sessionHash));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function setGuestCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(GUEST_COOKIE, token, {
    path: '/api',
    httpOnly: true,
    secure,
    sameSite: 'strict',
  });
}
