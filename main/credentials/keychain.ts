import { KioskError } from '../../app/errors';

/** Where the password lives: the OS keychain through keytar, or Electron's safeStorage where keytar cannot load (safeStorageStore.ts). */
export interface CredentialStore {
  get(account: string): Promise<string | null>;
  set(account: string, password: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'biointellic-kiosk';

/** The keychain account for a user of a service: `userId@host`, so two services never share one. */
export function keychainAccount(userId: string, serviceUrl: string): string {
  return `${userId}@${new URL(serviceUrl).host}`;
}

/**
 * The stored password, or credentials_missing saying how to store one. A locked keyring makes
 * keytar answer "nothing stored" without an error, hence the hint.
 */
export async function requiredPassword(store: CredentialStore, account: string, howToStore: string): Promise<string> {
  const stored = await store.get(account);
  if (stored === null) {
    throw new KioskError('credentials_missing', `No password is stored for ${account}: ${howToStore} (the keychain may also be locked).`);
  }
  return stored;
}

export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export async function loadKeytar(): Promise<KeytarLike> {
  try {
    // Loaded lazily: a machine without libsecret must get keychain_unavailable, not a crash at start.
    const loaded = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
    return loaded.default ?? loaded;
  } catch (error) {
    throw new KioskError('keychain_unavailable', `The OS keychain library could not be loaded (${reason(error)}).`, {
      cause: error,
    });
  }
}

/**
 * A locked keyring can leave a call pending forever (it waits for an unlock prompt), so every
 * call races a timeout. The abandoned call cannot be cancelled; it is left to settle on its own.
 */
export function createKeytarStore(options: { keytar?: KeytarLike; timeoutMs?: number; service?: string } = {}): CredentialStore {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const service = options.service ?? KEYCHAIN_SERVICE;
  let keytar = options.keytar;

  async function guarded<T>(operation: string, run: (k: KeytarLike) => Promise<T>): Promise<T> {
    keytar ??= await loadKeytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KioskError('keychain_unavailable', `The OS keychain did not answer within ${timeoutMs / 1000} s (${operation}); it may be locked.`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([run(keytar), timeout]);
    } catch (error) {
      if (error instanceof KioskError) throw error;
      throw new KioskError('keychain_unavailable', `The OS keychain refused to ${operation} (${reason(error)}).`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    get: (account) => guarded('read the password', (k) => k.getPassword(service, account)),
    set: (account, password) => guarded('store the password', (k) => k.setPassword(service, account, password)),
    delete: (account) => guarded('delete the password', (k) => k.deletePassword(service, account)),
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * keytar when its native library loads; otherwise the fallback (Electron's safeStorage). Only a
 * library that cannot load switches stores: a locked or silent keyring stays an error, so a
 * password is never quietly written somewhere else.
 */
export async function openCredentialStore(options: {
  fallback: () => CredentialStore;
  load?: () => Promise<KeytarLike>;
  timeoutMs?: number;
}): Promise<{ store: CredentialStore; kind: 'keytar' | 'safeStorage' }> {
  try {
    const keytar = await (options.load ?? loadKeytar)();
    return { store: createKeytarStore({ keytar, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }), kind: 'keytar' };
  } catch {
    return { store: options.fallback(), kind: 'safeStorage' };
  }
}
