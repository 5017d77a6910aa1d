import type { Page } from 'playwright';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '../app/contract';
import { createKeytarStore } from '../main/credentials/keychain';
import type { SenderInfo } from '../main/ipc/dispatcher';
import type { LocalBackend } from '../main/backend/serviceClient';
import { createKioskMain } from '../main/kioskMain';
import { createLogger } from '../main/log';
import { writeSettings } from '../main/settings/settingsFile';
import { provisioned } from '../main/settings/provisioning';
import { DEFAULT_SETTINGS } from '../app/settings';
import { hashPassword } from '../engine/http/users';
import { openKiosk, type KioskPage } from '../scripts/kioskBridge';

export const TRUSTED_ORIGIN = 'app://kiosk';
export const KIOSK_FRAME: SenderInfo = { url: 'app://kiosk/index.html', isMainFrame: true };
/** The staff PIN every test station is provisioned with. */
export const STAFF_PIN = '246810';

/** What IT's provisioning does (main/settings/provisioning.ts): the built-in engine and a staff PIN. */
export async function provisionStation(dataDir: string, pin = STAFF_PIN): Promise<void> {
  await writeSettings(dataDir, provisioned(DEFAULT_SETTINGS, { backend: { kind: 'local' }, staffPinHash: await hashPassword(pin) }));
}

/**
 * main's real handler table behind the real dispatcher, as Electron would host it, with the real
 * keychain, a fresh data directory (provisioned with STAFF_PIN unless `provisioned: false`) and
 * every log line, progress event and IPC result kept.
 */
export async function hostMain(
  options: {
    localBackend?: () => Promise<LocalBackend>;
    trustedOrigin?: string;
    onProgress?: (p: Progress) => void;
    quit?: () => void;
    dataDir?: string;
    now?: () => number;
    provisioned?: boolean;
  } = {},
) {
  let dataDir = options.dataDir;
  if (!dataDir) {
    dataDir = await mkdtemp(join(tmpdir(), 'kiosk-main-'));
    if (options.provisioned !== false) await provisionStation(dataDir);
  }
  const logs: string[] = [];
  const progress: Progress[] = [];
  const results: unknown[] = [];
  const logger = createLogger((line) => logs.push(line), { minLevel: 'debug' });
  const main = await createKioskMain({
    dataDir,
    store: createKeytarStore(),
    logger,
    emitProgress: (p) => {
      progress.push(p);
      options.onProgress?.(p);
    },
    engine: { localBackend: options.localBackend ?? (async () => Promise.reject(new Error('no local engine in this test'))) },
    ...(options.quit ? { quit: options.quit } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const { handlers } = main;
  const dispatch = main.dispatcherFor(options.trustedOrigin ?? TRUSTED_ORIGIN);
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
    /** Ends main as the app's quit does: its document reader's OCR worker would keep the process alive. */
    close: () => main.close(),
    /** Unlocks staff-only requests with the staff PIN. */
    async asStaff(pin = STAFF_PIN) {
      const result = await call('staff.unlock', { pin });
      if (!result.ok) throw new Error(`staff.unlock failed: ${result.error.code}`);
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
  provisioned?: boolean;
  viewport?: { width: number; height: number };
  crossOriginIsolated?: boolean;
  detectorBackend?: 'webgl' | 'wasm';
  rendererDir?: string;
}) {
  let kiosk: KioskPage | undefined;
  let main: MainHost | undefined;
  // eslint-disable-next-line prefer-const -- the callbacks handed to openKiosk read it; a const would not exist yet
  kiosk = await openKiosk({
    fakeCamera: options.fakeCamera,
    ...(options.cameraAllowed === undefined ? {} : { cameraAllowed: options.cameraAllowed }),
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.crossOriginIsolated === undefined ? {} : { crossOriginIsolated: options.crossOriginIsolated }),
    ...(options.detectorBackend ? { detectorBackend: options.detectorBackend } : {}),
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
    dispatcherFor: async (origin) => {
      main = await hostMain({
        trustedOrigin: origin,
        onProgress: (p) => kiosk?.emitProgress(p),
        ...(options.localBackend ? { localBackend: options.localBackend } : {}),
        ...(options.provisioned === undefined ? {} : { provisioned: options.provisioned }),
      });
      await options.setup?.(main);
      return main.dispatch;
    },
  });
  return { kiosk, page: kiosk.page, main: main! };
}

export type MainHost = Awaited<ReturnType<typeof hostMain>>;

/** Staff press Start and the visitor agrees to the consent notice: the ID step opens. */
export async function startVisit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start check' }).click();
  await page.getByRole('button', { name: 'I agree' }).click();
}

/** The ID step's "Import a file", behind the staff PIN as on a kiosk: the PIN, then the file. */
export async function importIdPhoto(page: Page, file: string, pin = STAFF_PIN): Promise<void> {
  await page.getByRole('button', { name: 'Import a file (staff)' }).click();
  await page.getByLabel('Enter the staff PIN').fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.locator('[data-testid=id-file]').setInputFiles(file);
}

/**
 * A visit that waits for staff (no Finish for the visitor) ends from the staff view: Staff, the
 * PIN, then Close; `beforeClose` looks at the view first.
 */
export async function staffClosesVisit(page: Page, beforeClose?: () => Promise<void>, pin = STAFF_PIN): Promise<void> {
  await page.getByRole('button', { name: 'Staff' }).click();
  await page.getByLabel('Enter the staff PIN').fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await beforeClose?.();
  await page.getByRole('button', { name: 'Close' }).click();
  await page.locator('main[data-screen=attract]').waitFor();
}
