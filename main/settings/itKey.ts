/**
 * IT's provisioning key: Ed25519 (node:crypto), so a station that is set up applies a dropped
 * provisioning file only if IT signed it. The private key stays with IT (`npm run cli --
 * provisioning-key`); a station keeps only the public key, as base64 SPKI DER in its settings.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** A new key pair as PEM: the private key for IT's vault, the public key for stations. */
export function newItKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A public key (PEM, or the private key's PEM) as a station stores it: base64 SPKI DER. */
export function storedPublicKey(pem: string): string {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

export const signText = (text: string, privatePem: string): string => sign(null, Buffer.from(text), createPrivateKey(privatePem)).toString('base64');

/** Whether `signature` is `text` signed by the key stored as `publicKey`; false for any malformed input. */
export function verifyText(text: string, signature: string, publicKey: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' && verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
