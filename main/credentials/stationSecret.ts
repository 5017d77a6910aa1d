import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { KioskError } from '../../app/errors';
import type { CredentialStore } from './keychain';

/**
 * The keychain account of one of this station's secrets: one per data folder, so two stations (or
 * test hosts) under one OS user never share one.
 */
export const stationSecretAccount = (name: string, dataDir: string) => `${name}:${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`;

/**
 * A secret of this station's (32 random bytes) from the OS keychain, made and stored the first
 * time; asked for once, then kept in main's memory. A failure (a locked keychain) is not kept: the
 * next call asks again.
 */
export function stationSecret(store: CredentialStore, dataDir: string, name: string, options: { create?: boolean } = {}): () => Promise<Buffer> {
  let known: Promise<Buffer> | null = null;
  return () => {
    known ??= (async () => {
      const account = stationSecretAccount(name, dataDir);
      const stored = await store.get(account);
      if (stored !== null) return Buffer.from(stored, 'base64');
      if (options.create === false) throw new KioskError('credentials_missing', `The keychain holds no ${name} for this station (${account}).`);
      const made = randomBytes(32);
      await store.set(account, made.toString('base64'));
      return made;
    })().catch((error: unknown) => {
      known = null;
      throw error;
    });
    return known;
  };
}
