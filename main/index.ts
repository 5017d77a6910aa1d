/**
 * The Electron entry: app lifecycle, the one window, its session policy and IPC registration.
 * Kept thin because Electron cannot run on the build machines: every decision lives in a plain
 * module that is tested under Node (shell/policy, ipc/dispatcher, ipc/handlers).
 */
import { app, BrowserWindow, ipcMain, Menu, net, powerSaveBlocker, protocol, safeStorage, session, type WebContents } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_NAMES, channelOf } from '../app/channels';
import { startEngine } from '../engine/engine';
import { openCredentialStore } from './credentials/keychain';
import { createSafeStorageStore } from './credentials/safeStorageStore';
import { createKioskMain } from './kioskMain';
import { verifyInstall } from './engine/installIntegrity';
import { createLogger, fileSink } from './log';
import {
  APP_ENTRY,
  APP_ORIGIN,
  APP_SCHEME,
  rendererHeaders,
  auditDownloadPath,
  isBlockedShortcut,
  isNavigationAllowed,
  isPermissionAllowed,
  kioskWindowOptions,
  rendererFileFor,
} from './shell/policy';
import { ALLOCATOR_ENV, allocatorRelaunch } from './shell/allocator';
import { netFetch } from './shell/netFetch';

const windowed = process.argv.includes('--windowed') && !app.isPackaged;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const relaunchArgs = allocatorRelaunch(process.platform, process.env, process.argv.slice(1));
if (relaunchArgs) {
  // The relaunched process inherits this environment (see shell/allocator.ts for why).
  Object.assign(process.env, ALLOCATOR_ENV);
  app.relaunch({ args: relaunchArgs });
  app.exit(0);
} else if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const logger = createLogger(fileSink(join(dataDir, 'logs', 'main.log')));
  const rendererDir = join(__dirname, '..', 'renderer');

  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(response.body, {
      status: response.status,
      headers: rendererHeaders(file.mimeType),
    });
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, details.requestingUrl, mediaTypes));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, requestingOrigin, details.mediaType ? [details.mediaType] : []),
  );
  // No USB, HID or serial device for the page: the camera is all it needs.
  ses.setDevicePermissionHandler(() => false);
  // Downloads: only the staff view's audit CSV, into a fixed folder, never through a file dialog.
  const exportFolder = join(app.getPath('documents'), 'Biointellic audit');
  ses.on('will-download', (event, item) => {
    const path = auditDownloadPath(item.getURL(), item.getFilename(), exportFolder);
    if (!path) {
      logger.log('warn', 'download.refused');
      event.preventDefault();
      return;
    }
    mkdirSync(exportFolder, { recursive: true });
    item.setSavePath(path);
  });

  let window: BrowserWindow | null = null;
  // keytar when its library loads; Electron's safeStorage when it cannot (never plain text).
  const { store, kind } = await openCredentialStore({ fallback: () => createSafeStorageStore({ safeStorage, dataDir }) });
  logger.log('info', 'credentials.store', { kind });
  // The analysis worker is bundled beside this file (scripts/build-main.mjs).
  const workerUrl = pathToFileURL(join(__dirname, 'analysisWorker.mjs'));
  let quitting = false;
  const kiosk = await createKioskMain({
    dataDir,
    store,
    logger,
    emitProgress: (progress) => window?.webContents.send(channelOf('verification.progress'), progress),
    engine: {
      start: (options) => startEngine({ ...options, workerUrl }),
      livenessPass: process.env.BIOINTELLIC_ENGINE_LIVENESS_PASS,
      // An installed kiosk checks its unpacked models and wasm first (a development run has no installer to trust).
      verifyInstall: app.isPackaged ? () => verifyInstall(app.getAppPath()) : undefined,
    },
    fetch: netFetch(net),
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  const { handlers } = kiosk;
  app.on('will-quit', () => void kiosk.stopEngine());
  // Warm the built-in engine while the attract screen shows, so the first visitor does not wait.
  void kiosk.warm().catch(() => undefined);
  const dispatch = kiosk.dispatcherFor(APP_ORIGIN);
  for (const name of CONTRACT_NAMES) {
    ipcMain.handle(channelOf(name), (event, input: unknown) =>
      dispatch(name, { url: event.senderFrame?.url ?? '', isMainFrame: event.senderFrame === event.sender.mainFrame }, input),
    );
  }

  // No menu: its accelerators (reload, devtools, zoom) would be a way out of kiosk mode.
  if (!windowed) Menu.setApplicationMenu(null);
  window = new BrowserWindow(kioskWindowOptions({ packaged: app.isPackaged, windowed, preload: join(__dirname, 'preload.cjs') }));
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  if (!windowed) {
    // In kiosk mode only the staff PIN (staff.quitKiosk) closes the window.
    window.webContents.on('before-input-event', (event, input) => {
      if (isBlockedShortcut(input)) event.preventDefault();
    });
    window.on('close', (event) => {
      if (!quitting) event.preventDefault();
    });
  }
  // A new page is a new visit: main's copy of the last visitor's images is wiped first.
  const reload = () => void handlers['verification.reset'](undefined).finally(() => window?.loadURL(APP_ENTRY));
  window.webContents.on('render-process-gone', (_e, details) => {
    logger.log('error', 'renderer.gone', { reason: details.reason });
    reload();
  });
  window.on('unresponsive', () => {
    logger.log('error', 'renderer.unresponsive');
    reload();
  });
  window.on('closed', () => {
    powerSaveBlocker.stop(blocker);
    handlers.dispose();
    window = null;
  });
  reload();
}

// A relaunching instance is on its way out: it never opens a window.
if (!relaunchArgs) {
  app.whenReady().then(start, (error: unknown) => {
    console.error('Biointellic Kiosk could not start:', error);
    app.exit(1);
  });
}
app.on('window-all-closed', () => app.quit());
