import { readFile } from 'node:fs/promises';

/** HS256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_SIGNING_KEY_BYTES = 32;

/** The signing key file is missing, unreadable, or too weak: the service does not start. */
export class SigningKeyError extends Error {}

/**
 * The token signing key replicas share, from a file IT makes once (`openssl rand -base64 48`) and
 * mounts into every replica (a Kubernetes Secret). The file holds the key in base64; whitespace
 * around it is ignored. Anything that does not decode to 32 bytes or more is refused, so a
 * placeholder such as "changeme" never signs a token.
 */
export async function readSigningKey(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new SigningKeyError(`The signing key file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.byteLength < MIN_SIGNING_KEY_BYTES) {
    throw new SigningKeyError(
      `The signing key in ${path} is not base64 of at least ${MIN_SIGNING_KEY_BYTES} random bytes; make one with "openssl rand -base64 48 > ${path}".`,
    );
  }
  if (new Set(key).size < 8) throw new SigningKeyError(`The signing key in ${path} repeats a few bytes; make a random one with "openssl rand -base64 48".`);
  return key;
}
