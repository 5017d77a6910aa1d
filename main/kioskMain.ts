/**
 * main, wired once: the built-in engine, the handler table and its IPC gate. Electron
 * (main/index.ts), the preview (scripts/preview.ts), the tests' host and the benchmarks all build
 * main through this, so none of them wires it by hand.
 */
import { startEngine } from '../engine/engine';
import type { LocalBackend } from './backend/serviceClient';
import { createEmbeddedEngine } from './engine/embeddedEngine';
import { createDispatcher } from './ipc/dispatcher';
import { createHandlers, type MainServices } from './ipc/handlers';

type EmbeddedEngineDeps = Parameters<typeof createEmbeddedEngine>[0];

export interface KioskMainOptions extends Omit<MainServices, 'localBackend'> {
  /**
   * The built-in engine: started on first use, in this process's worker threads (`start` picks
   * the worker; default: the engine's own), or a backend someone else runs (tests).
   */
  engine?:
    | { start?: EmbeddedEngineDeps['start']; livenessPass?: string | undefined; verifyInstall?: EmbeddedEngineDeps['verifyInstall'] }
    | { localBackend: () => Promise<LocalBackend> };
}

export async function createKioskMain(options: KioskMainOptions) {
  const engineOptions = options.engine ?? {};
  const embedded =
    'localBackend' in engineOptions
      ? null
      : createEmbeddedEngine({
          store: options.store,
          dataDir: options.dataDir,
          logger: options.logger,
          start: engineOptions.start ?? startEngine,
          livenessPass: engineOptions.livenessPass,
          verifyInstall: engineOptions.verifyInstall,
        });
  const localBackend = 'localBackend' in engineOptions ? engineOptions.localBackend : embedded!.backend;
  const handlers = await createHandlers({ ...options, localBackend });
  return {
    handlers,
    /** The IPC gate for a page at `trustedOrigin` (app://kiosk in Electron, the preview's own origin). */
    dispatcherFor: (trustedOrigin: string) => createDispatcher(handlers, { trustedOrigin, logger: options.logger }),
    /** Starts the built-in engine now when the station uses it, so the first visitor does not wait. */
    async warm(): Promise<void> {
      const view = await handlers['settings.get'](undefined);
      if (view.provisioned && view.backend.kind === 'local') await localBackend();
    },
    stopEngine: async () => embedded?.stop(),
    async close(): Promise<void> {
      handlers.dispose();
      await embedded?.stop();
    },
  };
}

export type KioskMain = Awaited<ReturnType<typeof createKioskMain>>;
