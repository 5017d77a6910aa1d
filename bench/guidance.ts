/**
 * `npm run bench:guidance` — the live step in headless Chromium on a 720p fake camera:
 * guidance frames per second, time from a compliant face appearing to auto-capture, and time from
 * capture to result on the built-in engine. Measured alternately in one run: a baseline commit's
 * renderer (`--baseline`, built here in a git worktree) served as before issue 13 (not isolated:
 * single-threaded wasm); today's renderer the same way; today's as shipped (cross-origin
 * isolated: wasm threads where allowed); and today's with WebGL forced. Prints medians over
 * several visitors; passes nothing.
 *
 * The camera is a still photo (blinking) with fresh sensor noise in every frame (σ = 3 levels): a
 * repeated identical frame would let Human's frame cache skip work that a real camera's noise
 * does not (renderer/src/services/detector.ts GUIDANCE_CONFIG).
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine';
import { createKeytarStore } from '../main/credentials/keychain';
import { createEmbeddedEngine } from '../main/engine/embeddedEngine';
import { silentLogger } from '../main/log';
import { KIOSK_IPD, blinkingFrames, cameraFrame, distantFrame } from '../harness/fakeCamera';
import { faceCrop } from '../harness/faces';
import { importIdPhoto, kioskWithMain, startVisit } from '../harness/mainHost';
import { median } from './metrics';

// 33d548a: the renderer before its camera frames were read as planes (cameraFrame.ts) and before
// Human's work was reused between frames (detector.ts GUIDANCE_CONFIG).
const { values } = parseArgs({ options: { visitors: { type: 'string', default: '5' }, baseline: { type: 'string', default: '33d548a' } } });

/** The baseline commit's renderer, built in a temporary git worktree that shares node_modules. */
function buildRenderer(commit: string, into: string): string {
  const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  run('git', ['worktree', 'add', '--detach', into, commit], process.cwd());
  symlinkSync(join(process.cwd(), 'node_modules'), join(into, 'node_modules'));
  run('node', ['scripts/copy-detector-assets.mjs'], into);
  run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], into);
  return join(into, 'dist', 'renderer');
}

/** An MJPEG camera showing `frames` in turn, each with fresh Gaussian noise (σ = 3 levels); a single frame is shown 30 times. */
async function noisyCamera(path: string, frames: Buffer | readonly Buffer[]): Promise<string> {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  const out: Buffer[] = [];
  for (const frame of Buffer.isBuffer(frames) ? Array.from({ length: 30 }, () => frames) : frames) {
    const { data, info } = await sharp(frame).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const noisy = Buffer.from(data.map((v) => Math.max(0, Math.min(255, Math.round(v + 3 * gaussian())))));
    out.push(await sharp(noisy, { raw: info }).jpeg({ quality: 92, chromaSubsampling: '4:2:0' }).toBuffer());
  }
  await writeFile(path, Buffer.concat(out));
  return path;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-guidance-'));
// The visitor blinks (the blink check: app/blink.ts), as every visitor who should be verified does.
const good = await noisyCamera(join(dir, 'good.mjpeg'), await blinkingFrames(KIOSK_IPD));
const far = await noisyCamera(join(dir, 'far.mjpeg'), await distantFrame(await cameraFrame('C', KIOSK_IPD), 0.75));
await writeFile(join(dir, 'id.jpg'), await faceCrop('C', { margin: 0.8 }));
// The built-in engine at its calibrated operating point: the camera's person passes liveness.
const embedded = createEmbeddedEngine({ store: createKeytarStore({ timeoutMs: 1000 }), dataDir: dir, logger: silentLogger, start: (o) => startEngine(o) });
await embedded.backend();

const worktree = join(dir, 'baseline');
const baselineRenderer = buildRenderer(values.baseline!, worktree);

const CONFIGS = [
  { name: `${values.baseline}, not isolated`, crossOriginIsolated: false, rendererDir: baselineRenderer },
  { name: 'today, not isolated', crossOriginIsolated: false },
  { name: 'today, COOP/COEP (as shipped)', crossOriginIsolated: true },
  { name: 'today, WebGL forced', crossOriginIsolated: true, detectorBackend: 'webgl' },
] as const;
type Config = (typeof CONFIGS)[number];
type Measured = { fps: number[]; toCapture: number[]; toResult: number[]; outcomes: string[]; backend: Set<string> };

async function visitor(camera: string, config: Config) {
  const { kiosk } = await kioskWithMain({
    fakeCamera: camera,
    localBackend: embedded.backend,
    crossOriginIsolated: config.crossOriginIsolated,
    ...('detectorBackend' in config ? { detectorBackend: config.detectorBackend } : {}),
    ...('rendererDir' in config ? { rendererDir: config.rendererDir } : {}),
  });
  const page = kiosk.page;
  await startVisit(page);
  await importIdPhoto(page, join(dir, 'id.jpg'));
  await page.getByRole('button', { name: 'Use this photo' }).click();
  await page.locator('main[data-screen=live]').waitFor();
  return { kiosk, page };
}

async function measure(config: Config, into: Measured) {
  // Frames per second: a face that never qualifies keeps the loop running.
  {
    const { kiosk, page } = await visitor(far, config);
    // Past the models' first runs (WebGL compiles its shaders then).
    await page.locator('main:not([data-fps="0"])').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(4_000);
    into.backend.add((await page.locator('main').getAttribute('data-backend')) ?? '?');
    const samples: number[] = [];
    for (let s = 0; s < 6; s++) {
      samples.push(Number(await page.locator('main').getAttribute('data-fps')));
      await page.waitForTimeout(500);
    }
    into.fps.push(median(samples));
    await kiosk.close();
  }
  {
    const { kiosk, page } = await visitor(good, config);
    // The first guidance frame with a face marks "compliant face appeared".
    await page.locator('main[data-instruction]:not([data-instruction=""])').waitFor({ timeout: 120_000 });
    const appeared = performance.now();
    await page.locator('main[data-screen=checking]').waitFor({ timeout: 120_000 });
    const captured = performance.now();
    // A visit handed to staff ends there (2026-12-05: WebGL on SwiftShader, guiding at ~1 frame a second, sent its visitors to staff, before the raw frame and after).
    await page.locator('main[data-screen=result], main[data-screen=askStaff]').waitFor();
    into.toCapture.push(captured - appeared);
    into.toResult.push(performance.now() - captured);
    const main = page.locator('main');
    into.outcomes.push((await main.getAttribute('data-outcome')) ?? (await main.getAttribute('data-screen')) ?? 'none');
    await kiosk.close();
  }
}

const results: Measured[] = CONFIGS.map(() => ({ fps: [], toCapture: [], toResult: [], outcomes: [], backend: new Set() }));
for (let i = 0; i < Number(values.visitors); i++) {
  // Alternating, so the machine's drift (±30 % here) falls on both alike.
  for (const [c, config] of CONFIGS.entries()) await measure(config, results[c]!);
}
await embedded.stop();

const cell = (text: string) => text.padEnd(36);
console.log(`Guidance benchmark, ${values.visitors} visitors per configuration, alternating, 1280×720 fake camera, headless Chromium\n`);
console.log(cell('') + CONFIGS.map((c) => cell(c.name)).join(''));
console.log(cell('detector backend') + results.map((r) => cell([...r.backend].join(', '))).join(''));
console.log(cell('guidance frames per second, median') + results.map((r) => cell(`${median(r.fps).toFixed(1)}   runs ${JSON.stringify(r.fps)}`)).join(''));
console.log(cell('face appears → auto-capture, median') + results.map((r) => cell(`${median(r.toCapture).toFixed(0)} ms`)).join(''));
console.log(cell('capture → result, median') + results.map((r) => cell(`${median(r.toResult).toFixed(0)} ms   ${JSON.stringify(r.outcomes)}`)).join(''));
execFileSync('git', ['worktree', 'remove', '--force', worktree]);
const [baseline] = results as [Measured];
console.log('\nframes per second ÷ the baseline, median (per visitor):');
for (const [c, config] of CONFIGS.entries()) {
  if (c === 0) continue;
  const r = results[c]!;
  console.log(
    `  ${cell(config.name)}${(median(r.fps) / median(baseline.fps)).toFixed(2)}×   (${r.fps.map((f, i) => (f / baseline.fps[i]!).toFixed(2)).join(', ')})`,
  );
}
console.log('targets: ≥ 25 fps headless without a GPU, 30 with WebGL on a real GPU (here WebGL is SwiftShader, a CPU emulation: detector.ts uses wasm then)');
