// The bench is typechecked without the DOM library; the key manager it runs in Node
// (lib/key-clients.ts, from apps/web) names WebCrypto's types as the DOM does. Node's own.
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
  type Algorithm = webcrypto.Algorithm;
  type EcKeyImportParams = webcrypto.EcKeyImportParams;
  type EcdhKeyDeriveParams = webcrypto.EcdhKeyDeriveParams;
}
