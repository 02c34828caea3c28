import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { createStaffSession, hashToken, newSecretToken, type Db } from '@polyphony/db';

/** The staff session cookie: a random 256-bit token; the database keeps only its SHA-256. */
export const STAFF_COOKIE = 'pp_staff';
/** Header carrying the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieSettings {
  readonly secure: boolean;
}

export interface NewSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** Stores a new session for the staff member; the tokens are returned once and never stored. */
export async function startStaffSession(
  db: Db,
  staffId: string,
  now: number,
  ttlMs: number,
): Promise<NewSession> {
  const token = newSecretToken();
  const csrfToken = csrfTokenFor(token);
  const expiresAt = new Date(now + ttlMs);
  await createStaffSession(db, {
    staffId,
    tokenHash: hashToken(token),
    csrfTokenHash: hashToken(csrfToken),
    expiresAt,
  });
  return { token, csrfToken, expiresAt };
}

export function setStaffCookie(
  reply: FastifyReply,
  session: NewSession,
  settings: CookieSettings,
): void {
  reply.setCookie(STAFF_COOKIE, session.token, {
    path: '/api',
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'strict',
    expires: session.expiresAt,
  });
}

export function clearStaffCookie(reply: FastifyReply, settings: CookieSettings): void {
  reply.clearCookie(STAFF_COOKIE, {
    path: '/api',
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'strict',
  });
}

/**
 * The session's CSRF token, derived one-way from the session token, so `GET /api/me` can hand
 * it out again while the database keeps only its hash (and the cookie stays unreadable to
 * scripts). Knowing it reveals nothing about the session token.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('polyphony csrf v1').digest('base64url');
}

/** Whether a presented CSRF token matches the stored hash (constant-time comparison). */
export function csrfTokenMatches(presented: string | undefined, storedHash: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
