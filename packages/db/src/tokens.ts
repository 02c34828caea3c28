import { createHash, randomBytes } from 'node:crypto';

/** A fresh 256-bit secret from the CSPRNG, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** How secrets are stored: SHA-256, hex. High-entropy tokens need no slow hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
