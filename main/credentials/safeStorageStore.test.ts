import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCredentialStore } from './keychain';
import { SAFE_STORAGE_FILE, createSafeStorageStore, type SafeStorageLike } from './safeStorageStore';

/**
 * Electron's safeStorage cannot run on these machines: a stand-in with its interface, encrypting
 * with AES-GCM under a key held in memory (as the OS keyring would hold it), reporting the
 * backend it is given.
 */
function standInSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const newDir = () => mkdtemp(join(tmpdir(), 'kiosk-safestorage-'));

describe('the safeStorage credential store', () => {
  it('keeps only ciphertext on disk and reads the password back', async () => {
    const dataDir = await newDir();
    const store = createSafeStorageStore({ safeStorage: standInSafeStorage(), dataDir });
    await store.set('kiosk@service.example', 'correct horse battery staple');
    expect(await store.get('kiosk@service.example')).toBe('correct horse battery staple');
    expect(await store.get('other@service.example')).toBeNull();
    for (const file of await readdir(dataDir)) expect(await readFile(join(dataDir, file), 'utf8')).not.toContain('horse');
    expect(await store.delete('kiosk@service.example')).toBe(true);
    expect(await store.get('kiosk@service.example')).toBeNull();
  });

  it('refuses to store or read a password when safeStorage would keep it as plain text', async () => {
    for (const safeStorage of [standInSafeStorage('basic_text'), standInSafeStorage('gnome_libsecret', false)]) {
      const dataDir = await newDir();
      const store = createSafeStorageStore({ safeStorage, dataDir });
      await expect(store.set('kiosk@h', 'secret')).rejects.toMatchObject({ code: 'keychain_unavailable', message: expect.stringMatching(/plain text/) });
      await expect(store.get('kiosk@h')).rejects.toMatchObject({ code: 'keychain_unavailable' });
      expect(await readdir(dataDir)).toEqual([]);
    }
  });

  it('answers a damaged file with keychain_unavailable, not a crash', async () => {
    const dataDir = await newDir();
    await writeFile(join(dataDir, SAFE_STORAGE_FILE), '{ not json');
    const store = createSafeStorageStore({ safeStorage: standInSafeStorage(), dataDir });
    await expect(store.get('kiosk@h')).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });
});

describe('openCredentialStore', () => {
  it('uses safeStorage only when the keytar library cannot load', async () => {
    const dataDir = await newDir();
    const fallback = () => createSafeStorageStore({ safeStorage: standInSafeStorage(), dataDir });
    const missing = await openCredentialStore({ fallback, load: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')) });
    expect(missing.kind).toBe('safeStorage');
    await missing.store.set('kiosk@h', 'pw');
    expect(await missing.store.get('kiosk@h')).toBe('pw');
    const loaded = await openCredentialStore({
      fallback,
      load: async () => ({ getPassword: async () => 'from keytar', setPassword: async () => undefined, deletePassword: async () => true }),
    });
    expect(loaded.kind).toBe('keytar');
    expect(await loaded.store.get('kiosk@h')).toBe('from keytar');
  });
});
