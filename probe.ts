import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from './engine/engine';
import { createKeytarStore } from './main/credentials/keychain';
import { createEmbeddedEngine } from './main/engine/embeddedEngine';
import { silentLogger } from './main/log';
import { cameraFrame, writeMjpeg } from './tests/support/fakeCamera';
import { faceCrop } from './tests/support/faces';
import { openKiosk } from './tests/support/kioskBridge';
import { hostMain } from './tests/support/mainHost';

const dir = await mkdtemp(join(tmpdir(), 'probe-'));
const cam = await writeMjpeg(join(dir, 'c.mjpeg'), await cameraFrame('C', Number(process.env.IPD ?? 90)));
await writeFile(join(dir, 'id.jpg'), await faceCrop('C', { margin: 0.8 }));
const embedded = createEmbeddedEngine({ store: createKeytarStore({ timeoutMs: 500 }), dataDir: dir, logger: silentLogger, start: (o) => startEngine({ ...o, workers: 1 }) });
let kioskPage: Awaited<ReturnType<typeof openKiosk>>;
const k = await openKiosk({
  fakeCamera: cam,
  dispatcherFor: async (origin) => (await hostMain({ localBackend: embedded.backend, trustedOrigin: origin, onProgress: (p) => kioskPage?.emitProgress(p) })).dispatch,
});
kioskPage = k;
const page = k.page;
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 200)));
await page.getByRole('button', { name: 'Start check' }).click();
await page.locator('[data-testid=id-file]').setInputFiles(join(dir, 'id.jpg'));
await page.locator('[data-screen=idConfirm]').waitFor({ timeout: 30000 });
await page.screenshot({ path: '/tmp/s-idconfirm.png' });
await page.getByRole('button', { name: 'Use this photo' }).click();
const t0 = Date.now();
let last = '';
while (Date.now() - t0 < 30000) {
  const screen = await page.locator('main').getAttribute('data-screen');
  const instr = await page.locator('main').getAttribute('data-instruction');
  const fps = (await page.locator('main').getAttribute('data-fps')) + ' ipd=' + (await page.locator('main').getAttribute('data-ipd'));
  const s = `${screen} ${instr} fps=${fps}`;
  if (s !== last) { console.log(Date.now() - t0, s); last = s; }
  if (screen === 'result') break;
  await page.waitForTimeout(200);
}
await page.screenshot({ path: '/tmp/s-result.png' });
console.log(await page.locator('main').getAttribute('data-outcome'));
await k.close();
await embedded.stop();
