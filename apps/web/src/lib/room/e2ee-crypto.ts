// The cryptography of end-to-end encryption (ADR 0035, docs/security/e2ee.md), WebCrypto only:
// a device key pair per admission, media keys wrapped for one recipient, the security code.
// No key material leaves this module except public keys and wrapped (encrypted) copies.

export type Curve = 'X25519' | 'P-256';

export interface DeviceKeyPair {
  readonly curve: Curve;
  /** Non-extractable: the private key never leaves the browser, not even to this page's code. */
  readonly privateKey: CryptoKey;
  /** The raw public key, base64url (32 bytes for X25519, 65 for P-256). */
  readonly publicKey: string;
}

const ALGORITHM: Record<Curve, EcKeyImportParams | Algorithm> = {
  X25519: { name: 'X25519' },
  'P-256': { name: 'ECDH', namedCurve: 'P-256' },
};

const text = new TextEncoder();

export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A fresh key pair for one admission: X25519 where WebCrypto has it, else P-256 ECDH. The
 * private key is not extractable.
 */
export async function generateDeviceKey(
  prefer: readonly Curve[] = ['X25519', 'P-256'],
): Promise<DeviceKeyPair> {
  let lastError: unknown = new Error('no curve');
  for (const curve of prefer) {
    try {
      const pair = (await crypto.subtle.generateKey(ALGORITHM[curve], false, [
        'deriveBits',
      ])) as CryptoKeyPair;
      const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
      return { curve, privateKey: pair.privateKey, publicKey: toBase64Url(raw) };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Where a wrapped copy belongs: binds it to the meeting, the sender's generation, both ends, the slot. */
export interface WrapContext {
  readonly meetingId: string;
  readonly generation: number;
  readonly sender: string;
  readonly recipient: string;
  readonly keyIndex: number;
}

const contextInfo = (c: WrapContext) =>
  text.encode(
    `polyphony-e2ee-v1|wrap|${c.meetingId}|${c.generation}|${c.sender}|${c.recipient}|${c.keyIndex}`,
  );

/** The AES-GCM key only these two devices can derive: ECDH, then HKDF bound to the context. */
async function wrappingKey(
  own: DeviceKeyPair,
  peer: { readonly curve: Curve; readonly publicKey: string },
  context: WrapContext,
): Promise<CryptoKey> {
  if (peer.curve !== own.curve) throw new Error('the two devices use different curves');
  const peerKey = await crypto.subtle.importKey(
    'raw',
    fromBase64Url(peer.publicKey),
    ALGORITHM[peer.curve],
    false,
    [],
  );
  const shared = await crypto.subtle.deriveBits(
    { name: ALGORITHM[own.curve].name, public: peerKey } as EcdhKeyDeriveParams,
    own.privateKey,
    256,
  );
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: text.encode(`polyphony-e2ee-v1|${context.meetingId}`),
      info: contextInfo(context),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A media key encrypted for one recipient: `{ iv, wrapped }`, base64url. */
export async function wrapMediaKey(
  mediaKey: Uint8Array<ArrayBuffer>,
  own: DeviceKeyPair,
  recipient: { readonly curve: Curve; readonly publicKey: string },
  context: WrapContext,
): Promise<{ iv: string; wrapped: string }> {
  const key = await wrappingKey(own, recipient, context);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: contextInfo(context) },
    key,
    mediaKey,
  );
  return { iv: toBase64Url(iv), wrapped: toBase64Url(wrapped) };
}

/** The sender's media key from a copy wrapped for us; rejects anything else (tampered, misdirected). */
export async function unwrapMediaKey(
  copy: { readonly iv: string; readonly wrapped: string },
  own: DeviceKeyPair,
  sender: { readonly curve: Curve; readonly publicKey: string },
  context: WrapContext,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await wrappingKey(own, sender, context);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(copy.iv), additionalData: contextInfo(context) },
    key,
    fromBase64Url(copy.wrapped),
  );
  return new Uint8Array(plain);
}

/** A fresh random media key (32 bytes). */
export function newMediaKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * The sender's next key on an admission (the ratchet): HKDF-SHA-256 of its key in use, bound to
 * the meeting, the sender and the new generation. Those who hold the key derive the next one
 * themselves; a newcomer given only the next one cannot go back to the key before it.
 */
export async function ratchetMediaKey(
  key: Uint8Array<ArrayBuffer>,
  context: { readonly meetingId: string; readonly sender: string; readonly generation: number },
): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey('raw', key, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: text.encode(`polyphony-e2ee-v1|${context.meetingId}`),
      info: text.encode(
        `polyphony-e2ee-v1|ratchet|${context.meetingId}|${context.sender}|${context.generation}`,
      ),
    },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/** How many words the security code has, and the bits each carries (a 256-word list). */
export const CODE_WORDS = 8;
/**
 * PBKDF2 rounds over the code's input: a relay that substitutes keys must find a collision in
 * the seconds an admission takes, and each guess costs this many hashes (threat model in
 * docs/security/e2ee.md).
 */
export const CODE_ROUNDS = 200_000;

/**
 * The security code's bytes: the meeting id and, sorted, every admitted identity with its curve
 * and public key. Identities carry the admission number, so every membership change (the
 * epoch) changes the code; a substituted public key changes it too.
 */
export async function securityCodeBytes(
  meetingId: string,
  keys: readonly {
    readonly identity: string;
    readonly curve: string;
    readonly publicKey: string;
  }[],
): Promise<Uint8Array> {
  const lines = keys.map((k) => `${k.identity}:${k.curve}:${k.publicKey}`).sort();
  const material = await crypto.subtle.importKey(
    'raw',
    text.encode(lines.join('\n')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: text.encode(`polyphony-e2ee-v1|code|${meetingId}`),
      iterations: CODE_ROUNDS,
    },
    material,
    CODE_WORDS * 8,
  );
  return new Uint8Array(bits);
}

/** The code as words of a 256-word list (one byte each). */
export function codeWords(bytes: Uint8Array, words: readonly string[]): string[] {
  if (words.length !== 256) throw new Error('a code word list has 256 words');
  return [...bytes].map((b) => words[b]!);
}
