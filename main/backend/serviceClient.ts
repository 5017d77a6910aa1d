import type { Settings } from '../../app/settings';
import { createBiointellicClient, type BiointellicClient } from '../biointellic/client';
import { keychainAccount, requiredPassword, type CredentialStore } from '../credentials/keychain';
import type { Logger } from '../log';

/** A running local engine: where it listens and the generated account the kiosk uses on it. */
export interface LocalBackend {
  url: string;
  userId: string;
  password: () => Promise<string>;
  /** The built-in engine drops debug uploads past their retention (when debug ends). */
  pruneDebug?: () => Promise<void>;
  /** The built-in engine forgets the face analyses it kept for this visit (engine/analysis/analysisCache.ts). */
  forgetAnalyses?: () => number;
  /** The built-in engine analyses the ID photo ahead of the match that will send it (engine.ts preanalyze). */
  preanalyze?: (bytes: Uint8Array) => Promise<void>;
}

/**
 * Where checks go, per the settings: the built-in engine (started on first use) or the remote
 * service with its password from the keychain. One client, and so one token, per service, user
 * and timeout, replaced when any of them changes.
 */
export function createServiceClient(options: {
  settings: () => Settings;
  store: CredentialStore;
  localBackend: () => Promise<LocalBackend>;
  logger: Logger;
  fetch?: typeof fetch;
}) {
  const { settings, store } = options;
  let cached: { key: string; client: BiointellicClient } | null = null;
  /** The remote service the settings name, with its keychain account; null on the built-in engine. */
  const remote = () => {
    const { backend } = settings();
    return backend.kind === 'remote' ? { url: backend.url, userId: backend.userId, account: keychainAccount(backend.userId, backend.url) } : null;
  };

  async function target(): Promise<LocalBackend> {
    const service = remote();
    if (!service) return options.localBackend();
    return { url: service.url, userId: service.userId, password: () => requiredPassword(store, service.account, 'staff can store it in the settings') };
  }

  return {
    async client(): Promise<BiointellicClient> {
      const backend = await target();
      const { requestTimeoutMs } = settings();
      const key = `${backend.url} ${backend.userId} ${requestTimeoutMs}`;
      if (cached?.key !== key) {
        cached?.client.signOut();
        cached = {
          key,
          client: createBiointellicClient({
            baseUrl: backend.url,
            userId: backend.userId,
            getPassword: backend.password,
            timeoutMs: requestTimeoutMs,
            logger: options.logger,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }),
        };
      }
      return cached.client;
    },
    /** Whether the remote service's password is in the keychain (the built-in engine has its own). */
    async passwordStored(): Promise<boolean> {
      const service = remote();
      if (!service) return true;
      try {
        return (await store.get(service.account)) !== null;
      } catch {
        return false;
      }
    },
    /** Stores the remote service's password; the next request signs in with it. */
    async storePassword(password: string): Promise<{ userId: string; url: string } | null> {
      const service = remote();
      if (!service) return null;
      await store.set(service.account, password);
      cached?.client.signOut();
      return { userId: service.userId, url: service.url };
    },
    signOut(): void {
      cached?.client.signOut();
    },
    /** The visit ended: the built-in engine, if it is running, forgets what it kept of its faces. */
    async forgetAnalyses(): Promise<void> {
      if (settings().backend.kind === 'local') (await options.localBackend()).forgetAnalyses?.();
    },
    /** The ID photo is set: the built-in engine analyses it now; a hosted service has nothing to do. */
    async preanalyze(bytes: Uint8Array): Promise<void> {
      if (settings().backend.kind === 'local') await (await options.localBackend()).preanalyze?.(bytes);
    },
    /** Debug ended: the built-in engine prunes its debug store now (a remote service keeps its own). */
    async pruneDebug(): Promise<void> {
      if (settings().backend.kind === 'local') await (await options.localBackend()).pruneDebug?.();
    },
  };
}
