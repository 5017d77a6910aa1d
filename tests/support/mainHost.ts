import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '../../app/contract';
import { createKeytarStore } from '../../main/credentials/keychain';
import { createDispatcher, type SenderInfo } from '../../main/ipc/dispatcher';
import { createHandlers, type LocalBackend } from '../../main/ipc/handlers';
import { createLogger } from '../../main/log';
import { openKiosk, type KioskPage } from './kioskBridge';

export const TRUSTED_ORIGIN = 'app://kiosk';
export const KIOSK_FRAME: SenderInfo = { url: 'app://kiosk/index.html', isMainFrame: true };

/**
 * main's real handler table behind the real dispatcher, as Electron would host it, with the real
 * keychain, a fresh data directory and every log line, progress event and IPC result kept.
 */
export async function hostMain(
  options: { localBackend?: () => Promise<LocalBackend>; trustedOrigin?: string; onProgress?: (p: Progress) => void; quit?: () => void; dataDir?: string; now?: () => number } = {},
) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kiosk-main-')));
  const logs: string[] = [];
  const progress: Progress[] = [];
  const results: unknown[] = [];
  const logger = createLogger((line) => logs.push(line), { minLevel: 'debug' });
  const handlers = await createHandlers({
    dataDir,
    store: createKeytarStore(),
    logger,
    emitProgress: (p) => {
      progress.push(p);
      options.onProgress?.(p);
    },
    localBackend: options.localBackend ?? (async () => Promise.reject(new Error('no local engine in this test'))),
    ...(options.quit ? { quit: options.quit } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const dispatch = createDispatcher(handlers, { trustedOrigin: options.trustedOrigin ?? TRUSTED_ORIGIN, logger });
  const calls: string[] = [];
  const invoke: typeof dispatch = async (name, sender, input) => {
    calls.push(name);
    const result = await dispatch(name, sender, input);
    results.push(result);
    return result;
  };
  const frame = options.trustedOrigin ? { url: `${options.trustedOrigin}/index.html`, isMainFrame: true } : KIOSK_FRAME;
  const call = <N extends Parameters<typeof dispatch>[0]>(name: N, input?: unknown) => invoke(name, frame, input);
  return {
    dataDir,
    logs,
    progress,
    results,
    handlers,
    /** Every request by name, in order, whoever sent it. */
    calls,
    /** The dispatcher, recording: what the browser bridge uses. */
    dispatch: invoke,
    invoke,
    call,
    /** Chooses the staff PIN (first run), which also unlocks staff-only requests. */
    async asStaff(pin = '246810') {
      const result = await call('staff.setPin', { pin });
      if (!result.ok) throw new Error(`staff.setPin failed: ${result.error.code}`);
    },
  };
}

/**
 * The kiosk in Chromium with main's handler table behind it (bridge + hostMain), progress
 * forwarded to the page. `setup` runs on main's side before the page loads.
 */
export async function kioskWithMain(options: {
  fakeCamera: string;
  cameraAllowed?: boolean;
  localBackend?: () => Promise<LocalBackend>;
  setup?: (main: MainHost) => Promise<void>;
}) {
  let kiosk: KioskPage | undefined;
  let main: MainHost | undefined;
  kiosk = await openKiosk({
    fakeCamera: options.fakeCamera,
    ...(options.cameraAllowed === undefined ? {} : { cameraAllowed: options.cameraAllowed }),
    dispatcherFor: async (origin) => {
      main = await hostMain({
        trustedOrigin: origin,
        onProgress: (p) => kiosk?.emitProgress(p),
        ...(options.localBackend ? { localBackend: options.localBackend } : {}),
      });
      await options.setup?.(main);
      return main.dispatch;
    },
  });
  return { kiosk, page: kiosk.page, main: main! };
}

export type MainHost = Awaited<ReturnType<typeof hostMain>>;
