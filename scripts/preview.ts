/**
 * `npm run preview [-- --fake-camera FILE.mjpeg|FILE.y4m] [--headless] [--screenshot FILE.png]`
 *
 * The kiosk without Electron: the built renderer in Chromium, main's real handler table and the
 * built-in engine in this process, the same settings folder and keychain as the app. For UI work
 * on machines where the Electron binary cannot be installed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine';
import { createKeytarStore } from '../main/credentials/keychain';
import { createEmbeddedEngine } from '../main/engine/embeddedEngine';
import { createDispatcher } from '../main/ipc/dispatcher';
import { createHandlers } from '../main/ipc/handlers';
import { createLogger } from '../main/log';
import { defaultDataDir } from '../main/paths';
import { openKiosk, type KioskPage } from '../tests/support/kioskBridge';

const { values } = parseArgs({
  options: {
    'fake-camera': { type: 'string' },
    headless: { type: 'boolean', default: !process.env.DISPLAY },
    screenshot: { type: 'string' },
  },
});

const dataDir = defaultDataDir();
const logger = createLogger((line) => process.stderr.write(`${line}\n`), { minLevel: 'warn' });
const store = createKeytarStore();
const embedded = createEmbeddedEngine({ store, dataDir, logger, start: startEngine, livenessPass: process.env.BIOINTELLIC_ENGINE_LIVENESS_PASS });
// eslint-disable-next-line prefer-const -- main's progress callback reads it before openKiosk returns
let kiosk: KioskPage | undefined;
const handlers = await createHandlers({
  dataDir,
  store,
  logger,
  emitProgress: (progress) => kiosk?.emitProgress(progress),
  localBackend: embedded.backend,
});
kiosk = await openKiosk({
  headless: values.headless,
  ...(values['fake-camera'] ? { fakeCamera: resolve(values['fake-camera']) } : {}),
  dispatcherFor: (origin) => createDispatcher(handlers, { trustedOrigin: origin, logger }),
});
console.log(`Kiosk preview at ${kiosk.origin} in Chromium${values.headless ? ' (headless)' : ''}; settings in ${dataDir}. Ctrl-C to stop.`);
if (values.screenshot) {
  await kiosk.page.locator('main[data-screen]').waitFor();
  await kiosk.page.screenshot({ path: values.screenshot });
  console.log(`Screenshot saved to ${values.screenshot}`);
}
const stop = async () => {
  await kiosk?.close();
  handlers.dispose();
  await embedded.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
kiosk.page.on('close', () => void stop());
