import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../../app/errors';
import type { CredentialStore } from './keychain';
import { readJsonFile, writeFileAtomic } from '../storage/stateFile';

/** What the store needs of Electron's `safeStorage` (main/index.ts passes the real one). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring encrypts; `basic_text` means a hard-coded key, i.e. plain text. */
  getSelectedStorageBackend?(): string;
}

export const SAFE_STORAGE_FILE = 'credentials.safestorage.json';
const Stored = z.record(z.string(), z.string());

/**
 * Passwords encrypted by the OS through Electron's safeStorage (DPAPI, the macOS Keychain, the
 * Linux Secret Service or KWallet), kept as ciphertext in the data folder. Refuses to store or
 * read anything when safeStorage has no real key: on Linux without a keyring it falls back to a
 * hard-coded one (`basic_text`), which is plain text with extra steps.
 */
export function createSafeStorageStore(options: { safeStorage: SafeStorageLike; dataDir: string }): CredentialStore {
  const { safeStorage, dataDir } = options;
  const path = join(dataDir, SAFE_STORAGE_FILE);

  function requireRealEncryption(): void {
    const backend = safeStorage.getSelectedStorageBackend?.();
    if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
      throw new KioskError(
        'keychain_unavailable',
        'This computer has no keychain to protect the password (it would be stored as plain text). Install and unlock a keyring (gnome-keyring or KWallet), then store it again.',
      );
    }
  }

  async function readAll(): Promise<Record<string, string>> {
    const read = await readJsonFile(path, Stored);
    if (read.status === 'invalid') throw new KioskError('keychain_unavailable', 'The stored passwords cannot be read; store the password again.');
    return read.status === 'ok' ? read.value : {};
  }

  return {
    async get(account) {
      requireRealEncryption();
      const sealed = (await readAll())[account];
      if (sealed === undefined) return null;
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        throw new KioskError('keychain_unavailable', 'The stored password cannot be decrypted on this account; store it again.');
      }
    },
    async set(account, password) {
      requireRealEncryption();
      const all = await readAll();
      all[account] = safeStorage.encryptString(password).toString('base64');
      await writeFileAtomic(dataDir, SAFE_STORAGE_FILE, `${JSON.stringify(all)}\n`);
    },
    async delete(account) {
      const all = await readAll();
      if (!(account in all)) return false;
      delete all[account];
      await writeFileAtomic(dataDir, SAFE_STORAGE_FILE, `${JSON.stringify(all)}\n`);
      return true;
    },
  };
}
