import type { Progress } from '../../app/contract';
import { KioskError } from '../../app/errors';
import type { Settings } from '../../app/settings';
import { createBiointellicClient, type BiointellicClient } from '../biointellic/client';
import { keychainAccount, type CredentialStore } from '../credentials/keychain';
import { readSettings, writeSettings } from '../credentials/settingsFile';
import type { Logger } from '../log';
import { createVerificationSession } from '../verification/session';
import type { HandlerTable } from './dispatcher';

/** A running local engine: where it listens and the generated account the kiosk uses on it. */
export interface LocalBackend {
  url: string;
  userId: string;
  password: () => Promise<string>;
}

export interface MainServices {
  dataDir: string;
  store: CredentialStore;
  logger: Logger;
  emitProgress: (progress: Progress) => void;
  /** Starts (once) and returns the built-in engine, used when no remote service is configured. */
  localBackend: () => Promise<LocalBackend>;
  fetch?: typeof fetch;
}

/**
 * main's handler table: every contract entry, implemented with the framework-free modules.
 * Electron registers it through the dispatcher; tests and `npm run preview` host it directly.
 */
export async function createHandlers(services: MainServices): Promise<HandlerTable & { dispose(): void }> {
  const initial = await readSettings(services.dataDir);
  if (initial.status === 'corrupt') {
    services.logger.log('error', 'settings.corrupt', { keptAs: initial.keptAs, reason: initial.reason });
  }
  let settings: Settings = initial.settings;
  let cached: { key: string; client: BiointellicClient } | null = null;

  async function target() {
    if (settings.backend.kind === 'local') return services.localBackend();
    const { url, userId } = settings.backend;
    const account = keychainAccount(userId, url);
    return {
      url,
      userId,
      password: async () => {
        const stored = await services.store.get(account);
        if (stored === null) {
          throw new KioskError('credentials_missing', `No password is stored for ${account} (or the keychain is locked).`);
        }
        return stored;
      },
    };
  }

  /** One client (and so one token) per service and user, replaced when either changes. */
  async function client(): Promise<BiointellicClient> {
    const backend = await target();
    const key = `${backend.url} ${backend.userId} ${settings.requestTimeoutMs}`;
    if (cached?.key !== key) {
      cached?.client.signOut();
      cached = {
        key,
        client: createBiointellicClient({
          baseUrl: backend.url,
          userId: backend.userId,
          getPassword: backend.password,
          timeoutMs: settings.requestTimeoutMs,
          logger: services.logger,
          ...(services.fetch ? { fetch: services.fetch } : {}),
        }),
      };
    }
    return cached.client;
  }

  async function passwordStored(): Promise<boolean> {
    if (settings.backend.kind === 'local') return true;
    try {
      return (await services.store.get(keychainAccount(settings.backend.userId, settings.backend.url))) !== null;
    } catch {
      return false;
    }
  }

  const session = createVerificationSession({
    client,
    debug: () => settings.debug,
    onProgress: services.emitProgress,
    logger: services.logger,
  });

  const view = async () => ({ ...settings, passwordStored: await passwordStored() });

  return {
    'settings.get': view,
    'settings.update': async (change) => {
      const next: Settings = { ...settings };
      if (change.backend !== undefined) next.backend = change.backend;
      if (change.debug !== undefined) next.debug = change.debug;
      if (change.requestTimeoutMs !== undefined) next.requestTimeoutMs = change.requestTimeoutMs;
      if (change.stationName !== undefined) next.stationName = change.stationName;
      await writeSettings(services.dataDir, next);
      settings = next;
      services.logger.log('info', 'settings.updated', { backend: next.backend.kind, debug: next.debug });
      return view();
    },
    'credentials.setPassword': async ({ password }) => {
      if (settings.backend.kind !== 'remote') {
        throw new KioskError('settings_invalid', 'Choose a remote service before storing its password.');
      }
      await services.store.set(keychainAccount(settings.backend.userId, settings.backend.url), password);
      cached?.client.signOut();
      return { stored: true as const };
    },
    'connection.test': async () => {
      const { expiresAt } = await (await client()).checkConnection();
      return { tokenExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
    },
    'verification.setIdPhoto': (bytes) => session.setIdPhoto(bytes),
    'verification.setLivePhoto': (bytes) => session.setLivePhoto(bytes),
    'verification.run': ({ attempt }) => session.run(attempt),
    'verification.reset': async () => {
      session.reset();
      return { wiped: true as const };
    },
    dispose() {
      session.reset();
      cached?.client.signOut();
    },
  };
}
