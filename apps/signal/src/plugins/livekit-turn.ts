import { createHash, randomBytes } from 'node:crypto';

/**
 * Short-lived credentials for LiveKit's embedded TURN server, made the way LiveKit checks them
 * (livekit-server `pkg/service/turn.go`): the username is `apiKey|participantId|expiry` and the
 * password `sha256(secret|participantId|expiry)`, both in jxskiss/base62 encoding. The pre-join
 * network check uses them to ask for a relayed address over UDP and TLS: LiveKit's TURN relays
 * only to its own media port, where nothing is heard without an ICE session from a token, so a
 * probe's credentials open no way to anyone's media (ADR 0034).
 */
export interface TurnCredentials {
  readonly username: string;
  readonly credential: string;
}

/** How long a probe's credentials may start an allocation. */
export const PROBE_TTL_SECONDS = 5 * 60;

export function turnCredentials(
  keys: { readonly apiKey: string; readonly apiSecret: string },
  participantId: string,
  expiresAt: number,
): TurnCredentials {
  const expiry = Math.floor(expiresAt / 1000);
  const username = base62(Buffer.from(`${keys.apiKey}|${participantId}|${expiry}`));
  const sum = createHash('sha256').update(`${keys.apiSecret}|${participantId}|${expiry}`).digest();
  return { username, credential: base62(sum) };
}

/** Credentials for a one-off probe (its own id, never a participant's). */
export function probeCredentials(
  keys: { readonly apiKey: string; readonly apiSecret: string },
  now: number,
): TurnCredentials {
  return turnCredentials(
    keys,
    `PR_probe${randomBytes(9).toString('base64url')}`,
    now + PROBE_TTL_SECONDS * 1000,
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const COMPACT = 0x1e;

/** jxskiss/base62 v1.1.0 `EncodeToString` (its `encodeV2`: 6 bits at a time from the end). */
export function base62(src: Uint8Array): string {
  let out = '';
  let pos = src.length * 8;
  while (pos > 0) {
    let size = 6;
    let r = pos & 7;
    let i = pos >> 3;
    if (r === 0) {
      i -= 1;
      r = 8;
    }
    let b = src[i]! >> (8 - r);
    if (r < 6 && i > 0) b |= src[i - 1]! << r;
    b &= 0x3f;
    if ((b & COMPACT) === COMPACT) {
      if (pos > 6 || b > 0x1f) size = 5;
      b &= 0x1f;
    }
    out += ALPHABET[b];
    pos -= size;
  }
  return out;
}
