/**
 * `npm run preview [-- --fake-camera FILE.mjpeg|FILE.y4m] [--headless] [--screenshot FILE.png]`
 *
 * The kiosk without Electron: the built renderer in Chromium, main's real handler table and the
 * built-in engine in this process, the same settings folder and keychain as the app. For UI work
 * on machines where the Electron binary cannot be installed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKeytarStore } from '../main/credentials/keychain';
import { createKioskMain } from '../main/kioskMain';
import { createLogger } from '../main/log';
import { defaultDataDir } from '../main/paths';
import { openKiosk, type KioskPage } from './kioskBridge';

const { values } = parseArgs({
  options: {
    'fake-camera': { type: 'string' },
    headless: { type: 'boolean', default: !process.env.DISPLAY },
    screenshot: { type: 'string' },
  },
});

const dataDir = defaultDataDir();
const logger = createLogger((line) => process.stderr.write(`${line}\n`), { minLevel: 'warn' });
// eslint-disable-next-line prefer-const -- main's progress callback reads it before openKiosk returns
let kiosk: KioskPage | undefined;
const main = await createKioskMain({
  dataDir,
  store: createKeytarStore(),
  logger,
  emitProgress: (progress) => kiosk?.emitProgress(progress),
  engine: { livenessPass: process.env.BIOINTELLIC_ENGINE_LIVENESS_PASS },
});
kiosk = await openKiosk({
  headless: values.headless,
  ...(values['fake-camera'] ? { fakeCamera: resolve(values['fake-camera']) } : {}),
  dispatcherFor: main.dispatcherFor,
});
console.log(`Kiosk preview at ${kiosk.origin} in Chromium${values.headless ? ' (headless)' : ''}; settings in ${dataDir}. Ctrl-C to stop.`);
if (values.screenshot) {
  await kiosk.page.locator('main[data-screen]').waitFor();
  await kiosk.page.screenshot({ path: values.screenshot });
  console.log(`Screenshot saved to ${values.screenshot}`);
}
const stop = async () => {
  await kiosk?.close();
  await main.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
kiosk.page.on('close', () => void stop());
