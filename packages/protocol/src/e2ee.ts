import { Type, type Static } from 'typebox';
import { Body } from './text.ts';

/** Bytes as base64url without padding (public keys, IVs, wrapped keys). */
const Base64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });

/** A LiveKit media identity as the domain makes it (`<participantId>.<admission>`). */
const Identity = Type.String({
  minLength: 3,
  maxLength: 80,
  pattern: '^[0-9a-f-]{36}\\.[1-9][0-9]{0,8}$',
  examples: ['6f1c8a52-8d0f-4c47-9d8e-3c1f8c2a9b10.1'],
});

/**
 * The key agreement curves a device key may use: X25519 where WebCrypto has it, P-256 ECDH
 * elsewhere (ADR 0035). Two devices with different curves cannot agree a key: the page says so.
 */
export const DeviceKeyCurve = Type.Union([Type.Literal('X25519'), Type.Literal('P-256')]);
export type DeviceKeyCurve = Static<typeof DeviceKeyCurve>;

/** "This is the public key of my device for admission `admission`" (the private key never leaves). */
export const DeviceKeyRequest = Body({
  admission: Type.Integer({ minimum: 1, maximum: 999_999_999 }),
  curve: DeviceKeyCurve,
  /** Raw public key: 32 bytes for X25519, 65 (uncompressed point) for P-256. */
  publicKey: Base64Url(100),
});
export type DeviceKeyRequest = Static<typeof DeviceKeyRequest>;

export const DeviceKey = Type.Object({
  identity: Type.String(),
  curve: DeviceKeyCurve,
  publicKey: Type.String(),
});
export type DeviceKey = Static<typeof DeviceKey>;

/** One sender's media key, wrapped for the reader alone (AES-GCM under their ECDH + HKDF key). */
export const WrappedKey = Type.Object({
  sender: Type.String(),
  /** The sender's key generation: a later one replaces an earlier one. */
  generation: Type.Integer({ minimum: 0 }),
  keyIndex: Type.Integer({ minimum: 0, maximum: 255 }),
  iv: Type.String(),
  wrapped: Type.String(),
});
export type WrappedKey = Static<typeof WrappedKey>;

/**
 * What a seated device reads: the device keys of everyone admitted now (itself included) and
 * the latest wrapped media key each sender addressed to it.
 */
export const E2eeStateResponse = Type.Object({
  me: Type.String(),
  keys: Type.Array(DeviceKey),
  mailbox: Type.Array(WrappedKey),
  /** Identities admitted now that asked this device to wrap its current media key again. */
  resend: Type.Array(Type.String()),
  /**
   * Which of this device's latest copies their recipients' pages have read, by generation: a
   * rotated key is used once every recipient holds it (or after the fallback delay).
   */
  taken: Type.Array(Type.Object({ to: Type.String(), generation: Type.Integer({ minimum: 0 }) })),
});
export type E2eeStateResponse = Static<typeof E2eeStateResponse>;

/** A sender's new media key, one wrapped copy per recipient identity. */
export const WrappedKeysRequest = Body({
  admission: Type.Integer({ minimum: 1, maximum: 999_999_999 }),
  generation: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  keyIndex: Type.Integer({ minimum: 0, maximum: 255 }),
  copies: Type.Array(
    Body({
      to: Identity,
      iv: Base64Url(16),
      /** The 16- or 32-byte media key with its 16-byte tag, base64url: at most 64 characters. */
      wrapped: Base64Url(64),
    }),
    { maxItems: 64 },
  ),
});
export type WrappedKeysRequest = Static<typeof WrappedKeysRequest>;

/** The identities the copies were kept for (the others are not admitted now: dropped). */
export const WrappedKeysResponse = Type.Object({ delivered: Type.Array(Type.String()) });
export type WrappedKeysResponse = Static<typeof WrappedKeysResponse>;

/** The identity whose device key is now stored. */
export const DeviceKeyResponse = Type.Object({ identity: Type.String() });
export type DeviceKeyResponse = Static<typeof DeviceKeyResponse>;

/**
 * "Resend keys": the device of admission `admission` cannot decrypt `from` and asks it to wrap
 * its current media key for this device again. The request waits for the sender's next read.
 */
export const KeyResendRequest = Body({
  admission: Type.Integer({ minimum: 1, maximum: 999_999_999 }),
  from: Identity,
});
export type KeyResendRequest = Static<typeof KeyResendRequest>;

/** The sender the request waits for. */
export const KeyResendResponse = Type.Object({ from: Type.String() });
export type KeyResendResponse = Static<typeof KeyResendResponse>;
