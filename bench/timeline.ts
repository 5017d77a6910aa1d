/**
 * `npm run bench:timeline [-- --visits N] [--json]` — one verification on the built-in engine,
 * stage by stage, as main runs it: the same session code, the real client over HTTP on
 * 127.0.0.1, the engine with one analysis worker as the kiosk starts it. Two ways side by side,
 * their visits alternating so both see the same machine:
 * - `before`: the code before issue 26 (56e6e90): the capture normalised in turn (its PNG at zlib
 *   level 6, decoded again for a mozjpeg JPEG), then liveness, then match, every image analysed
 *   afresh (the engine's cache off);
 * - `now`: the frame's pixels sent as they are (no PNG); both calls at once; the ID photo
 *   analysed while the visitor walks up and kept by hash.
 * Prints each stage's median and p90 and capture → verdict; numbers only, passes nothing.
 *
 * Two stages are stand-ins, said so in the table: the renderer's PNG of the frame (before) is
 * encoded by sharp here, and its read of the canvas's pixels (now) is a copy; Chromium's own costs
 * (~100 and ~30 ms for 720p in headless Chromium here) show in bench:guidance. IPC is Electron's
 * structured clone of the bytes, measured as Node's structuredClone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { AnalysisTimings } from '../engine/analysis/analyze';
import { createAnalysisPool, type AnalysisPool } from '../engine/analysis/pool';
import { startEngine } from '../engine/engine';
import { hashPassword } from '../engine/http/users';
import { faceCrop, livenessCapture } from '../harness/faces';
import { createBiointellicClient, type BiointellicClient } from '../main/biointellic/client';
import { silentLogger } from '../main/log';
import { captureScale } from '../app/captureGeometry';
import { LIVENESS, MATCH } from '../app/imageRequirements';
import type { RawFrame } from '../app/contract';
import { createVerificationSession } from '../main/verification/session';
import { quantiles } from './metrics';

const { values } = parseArgs({
  options: { visits: { type: 'string', default: '20' }, 'now-workers': { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
const VISITS = Number(values.visits);
/** Analysis workers of the `now` station (`before` has the kiosk's one): what a second core buys. */
const NOW_WORKERS = Number(values['now-workers']);
/** What a visitor takes to walk from the ID step to the camera, at the least. */
const WALK_UP_MS = 1_000;

type Mode = 'before' | 'now';
type Stage = string;
const samples: Record<Mode, Record<Stage, number[]>> = { before: {}, now: {} };
const decisions: Record<Mode, string[]> = { before: [], now: [] };
const add = (mode: Mode, stage: Stage, ms: number) => (samples[mode][stage] ??= []).push(ms);

/**
 * Main's normalisation before issue 26 (main/imaging/normalize.ts at 56e6e90), for the `before`
 * station, step for step: the frame probed, scaled and encoded as a PNG at zlib level 6; that PNG
 * probed, decoded again and encoded as the match's JPEG by mozjpeg, one after the other. The
 * bench's frame passes every check, so the checks' refusals are left out.
 */
async function normalizeAsBefore(input: Uint8Array | RawFrame, measured: { interpupillaryPx?: number | undefined } = {}) {
  // The renderer then sent a PNG, as this station's visits do.
  if ('rgba' in input) throw new Error('the before station is sent PNGs');
  const { width = 0, height = 0 } = await sharp(input).metadata();
  const scale = Math.max(captureScale({ height }, measured.interpupillaryPx ?? 0), LIVENESS.minHeight / height);
  let frame = sharp(input).rotate();
  if (scale < 1) frame = frame.resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'lanczos3' });
  const png = await frame.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
  await sharp(png.data).metadata();
  const jpeg = await sharp(png.data)
    .rotate()
    .resize({ width: MATCH.maxWidth, height: MATCH.maxHeight, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 92, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  const image = ({ data, info }: typeof png, contentType: 'image/png' | 'image/jpeg') => ({ bytes: data, contentType, width: info.width, height: info.height });
  return { forLiveness: image(png, 'image/png'), forMatch: image(jpeg, 'image/jpeg') };
}

/** The engine's real pool, each analysis's worker timings kept. */
function timedPool(pool: AnalysisPool, into: Array<{ kind: string; timings: AnalysisTimings }>): AnalysisPool {
  return {
    ...pool,
    analyze: async (kind, bytes) => {
      const analysis = await pool.analyze(kind, bytes);
      into.push({ kind, timings: analysis.timings });
      return analysis;
    },
  };
}

async function station(mode: Mode) {
  const analyses: Array<{ kind: string; timings: AnalysisTimings }> = [];
  const workers = await createAnalysisPool({ size: mode === 'now' ? NOW_WORKERS : 1 });
  const engine = await startEngine({
    users: new Map([['bench', await hashPassword('bench')]]),
    debugDir: '/nonexistent',
    pool: timedPool(workers, analyses),
    analysisCache: mode === 'now',
  });
  const client = createBiointellicClient({ baseUrl: engine.url, userId: 'bench', getPassword: async () => 'bench', timeoutMs: 60_000 });
  const calls: Record<'liveness' | 'match', number> = { liveness: 0, match: 0 };
  const timed: BiointellicClient = {
    ...client,
    liveness: async (...args) => {
      const t = performance.now();
      const answer = await client.liveness(...args);
      calls.liveness = performance.now() - t;
      return answer;
    },
    match: async (...args) => {
      const t = performance.now();
      const answer = await client.match(...args);
      calls.match = performance.now() - t;
      return answer;
    },
  };
  const session = createVerificationSession({
    client: async () => timed,
    debug: () => false,
    judging: () => ({
      reviewMarginPercent: 5,
      sayNotVerified: true,
      blinkCheck: 'off' as const,
      documentRules: { requireMrz: false, acceptedKinds: ['passport' as const] },
      backend: { kind: mode === 'now' ? ('local' as const) : ('remote' as const) },
      checksAtOnce: false,
    }),
    documents: { read: () => Promise.reject(new Error('no document here')), find: async () => null },
    onProgress: () => undefined,
    logger: silentLogger,
    limits: { check: () => undefined, failed: async () => undefined },
    audit: () => null,
    ...(mode === 'before' ? { normalizeLive: normalizeAsBefore } : {}),
    ...(mode === 'now'
      ? { preanalyze: async (bytes: Uint8Array) => void (await engine.preanalyze(bytes)), forgetAnalyses: async () => void engine.forgetAnalyses() }
      : {}),
  });
  // The first answer compiles the worker's kernels: not a visitor's wait.
  await client.liveness(await livenessCapture('C', 100)).catch(() => undefined);
  return { session, analyses, calls, close: () => engine.close().then(() => workers.close()) };
}

const id = await faceCrop('C', { margin: 0.9 });
const capture = await sharp(await livenessCapture('C', 100))
  .extend({ left: 340, right: 340, background: '#3a3a3a' })
  .ensureAlpha()
  .raw()
  .toBuffer({ resolveWithObject: true });

const stations = { before: await station('before'), now: await station('now') };
for (let visit = 0; visit < VISITS; visit++) {
  for (const mode of (visit % 2 === 0 ? ['before', 'now'] : ['now', 'before']) as Mode[]) {
    const { session, analyses, calls } = stations[mode];
    await session.setIdPhoto(new Uint8Array(id));
    await sleep(WALK_UP_MS);
    // A new frame each visit: the camera's pixels differ in the last bits.
    const frame = Buffer.from(capture.data);
    frame.writeUInt8(frame.readUInt8(visit) ^ 1, visit);
    const from = analyses.length;
    const t0 = performance.now();
    // Before, the renderer encoded a PNG; now it sends the canvas's pixels as they are.
    const sent = mode === 'before' ? new Uint8Array(await sharp(frame, { raw: capture.info }).png().toBuffer()) : new Uint8Array(frame);
    const t1 = performance.now();
    const crossed = structuredClone(sent);
    const t2 = performance.now();
    await session.setLivePhoto({ image: mode === 'before' ? crossed : { rgba: crossed, width: capture.info.width, height: capture.info.height } });
    const t3 = performance.now();
    const outcome = await session.run(1);
    const t4 = performance.now();
    add(mode, 'renderer: PNG (sharp stand-in) / pixels', t1 - t0);
    add(mode, 'IPC (structured clone stand-in)', t2 - t1);
    add(mode, 'normalise (main: liveness PNG + match JPEG)', t3 - t2);
    add(mode, 'liveness call (HTTP round trip)', calls.liveness);
    add(mode, 'match call (HTTP round trip)', calls.match);
    for (const { kind, timings } of analyses.slice(from)) {
      for (const [stage, ms] of Object.entries(timings)) if (ms >= 0.5) add(mode, `  engine ${kind}: ${stage}`, ms);
    }
    add(mode, 'both checks + verdict (session.run)', t4 - t3);
    add(mode, 'capture → verdict', t4 - t0);
    decisions[mode].push(outcome.decision);
    await session.reset();
  }
}
await Promise.all([stations.before.close(), stations.now.close()]);

const summary = Object.fromEntries(
  (['before', 'now'] as const).map((mode) => [
    mode,
    Object.fromEntries(
      Object.entries(samples[mode]).map(([stage, xs]) => {
        const { n, median, p90 } = quantiles(xs);
        return [stage, { n, p50: median, p90 }];
      }),
    ),
  ]),
);
if (values.json) {
  console.log(JSON.stringify({ visits: VISITS, nowWorkers: NOW_WORKERS, summary, decisions }, null, 2));
} else {
  console.log(
    `One verification, stage by stage: ${VISITS} visits each way, alternating; built-in engine, analysis workers: before 1, now ${NOW_WORKERS} (ms: p50 / p90, n)\n`,
  );
  const stages = [...new Set([...Object.keys(samples.before), ...Object.keys(samples.now)])];
  const cell = (s: { n: number; p50: number; p90: number } | undefined) => (s ? `${s.p50.toFixed(0)} / ${s.p90.toFixed(0)} (${s.n})` : '—').padStart(18);
  console.log(`${'stage'.padEnd(46)}${'before'.padStart(18)}${'now'.padStart(18)}`);
  for (const stage of stages) console.log(`${stage.padEnd(46)}${cell(summary.before![stage])}${cell(summary.now![stage])}`);
  const total = 'capture → verdict';
  console.log(`\nbefore/now, capture → verdict p50: ${(summary.before![total]!.p50 / summary.now![total]!.p50).toFixed(2)}×`);
  const same = decisions.before.every((d, i) => d === decisions.now[i]);
  console.log(`verdicts: ${same ? 'the same in every visit' : 'DIFFERENT'} (${[...new Set(decisions.now)].join(', ')})`);
}
