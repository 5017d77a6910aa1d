/**
 * `npm run bench:engine` — speed and memory of the local engine, and two baselines side by side
 * in one run: Human's stock configuration as it is ('stock': no person check, so its liveness
 * answer is empty) and the same plus the engine's person check ('stock+person': the same work,
 * the same answer). Prints numbers; passes nothing.
 *
 * Work: liveness on a 720p and a 1080p PNG, match on two 1024 px JPEGs (faces from
 * @vladmandic/face-api's sample photos), then liveness throughput with 1, 2 and 4 clients, and
 * whole visits per second (a liveness and a new match each) with 4 clients. `--quick` measures the
 * engine alone (no baselines): for comparing two checkouts of the engine, run alternately.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startEngine } from '../engine/engine';
import type { Baseline } from './baselineWorker';
import { hashPassword } from '../engine/http/users';
import { createBiointellicClient } from '../main/biointellic/client';
import { faceCrop, livenessCapture } from '../harness/faces';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
const WORKERS = Number(values.workers);
const RUNS = Number(values.runs);

const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function inputs() {
  const capture = await livenessCapture('C', 100); // 600×720, one face
  const p720 = await sharp(capture).extend({ left: 340, right: 340, background: '#3a3a3a' }).png().toBuffer();
  const p1080 = await sharp(await livenessCapture('C', 100))
    .resize({ height: 1080 })
    .extend({ left: 510, right: 510, background: '#3a3a3a' })
    .png()
    .toBuffer();
  const big = async (b: Buffer) => sharp(b).resize(1024, 1024, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
  return {
    p720,
    p1080,
    m1: { bytes: await big(await faceCrop('A', { margin: 1 })), contentType: 'image/jpeg' as const },
    m2: { bytes: await big(await faceCrop('A', { margin: 0.7 })), contentType: 'image/jpeg' as const },
  };
}

/** The same JPEG with a comment segment after its start marker: the same pixels, other bytes. */
function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** 'engine' is the engine as it ships; the baselines run in bench/baselineWorker.ts. */
type Profile = 'engine' | Baseline;
const BASELINE_WORKER = new URL('./baselineWorker.ts', import.meta.url);

async function measure(profile: Profile, work: Awaited<ReturnType<typeof inputs>>) {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const engine = await startEngine({
    users: new Map([['bench', await hashPassword('bench')]]),
    debugDir: '/nonexistent',
    workers: WORKERS,
    ...(profile === 'engine' ? {} : { workerUrl: BASELINE_WORKER, workerData: { baseline: profile } }),
  });
  const client = () => createBiointellicClient({ baseUrl: engine.url, userId: 'bench', getPassword: async () => 'bench', timeoutMs: 120_000 });
  const main = client();
  const first = await main.liveness(work.p720).catch((e: unknown) => e);
  const readyMs = performance.now() - started;

  const timed = async (run: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await run().catch(() => undefined); // a gate refusal still did the analysis; timing is what counts
      times.push(performance.now() - t);
    }
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
  };
  // The engine keeps match analyses by the image's hash (analysisCache.ts): a cold match sends
  // both images new (the same pixels, a different comment), a warm one the same ID photo again.
  let fresh = 0;
  const renamed = (image: typeof work.m1) => ({ ...image, bytes: withComment(image.bytes, `run ${fresh++}`) });
  const latency = {
    liveness720: await timed(() => main.liveness(work.p720)),
    liveness1080: await timed(() => main.liveness(work.p1080)),
    match1024: await timed(() => main.match(renamed(work.m1), renamed(work.m2))),
    match1024Cached: await timed(() => main.match(work.m1, renamed(work.m2))),
  };
  const throughput: Record<string, number> = {};
  for (const clients of [1, 2, 4]) {
    const perClient = Math.max(2, Math.round(RUNS / 2));
    const t = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = client();
        for (let i = 0; i < perClient; i++) await c.liveness(work.p720).catch(() => undefined);
      }),
    );
    throughput[`${clients}`] = (clients * perClient) / ((performance.now() - t) / 1000);
  }
  // Whole visits, as a shared service sees them: a liveness and a match with a new ID photo each,
  // from 4 kiosks at once. What docs/fleet.md's capacity table is computed from.
  const visitsEach = Math.max(2, Math.round(RUNS / 4));
  const visitsStart = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      const c = client();
      for (let i = 0; i < visitsEach; i++) {
        await c.liveness(work.p720).catch(() => undefined);
        await c.match(renamed(work.m1), renamed(work.m2)).catch(() => undefined);
      }
    }),
  );
  throughput.visits4 = (4 * visitsEach) / ((performance.now() - visitsStart) / 1000);
  clearInterval(sampler);
  await engine.close();
  return { profile, readyMs, firstAnswer: first instanceof Error ? first.message : 'ok', latency, throughput, peakRssMb: peakRss / 1e6 };
}

const work = await inputs();
const ours = await measure('engine', work);
// --quick: the engine's own figures stand in for the baselines' columns (their ratios then read 1×).
const stock = values.quick ? ours : await measure('stock', work);
const same = values.quick ? ours : await measure('stock+person', work);
if (values.json) {
  console.log(JSON.stringify({ runs: RUNS, ours, stock, stockPlusPerson: same }, null, 2));
} else {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const rps = (v: number) => `${v.toFixed(2)}/s`;
  const mb = (v: number) => `${v.toFixed(0)} MB`;
  console.log(`Local engine benchmark, ${RUNS} runs each, ${WORKERS} analysis worker(s)`);
  console.log(`stock = Human's default configuration; stock+person = the same plus the engine's person check (the same work)\n`);
  const header = ['', 'engine', 'stock', 'stock+person', 'stock/engine', '(stock+person)/engine'];
  const widths = [34, 10, 10, 14, 14, 22];
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(''));
  // Times: how many times slower the baseline is; throughput: how many times more the engine does.
  const row = (label: string, a: number, b: number, c: number, fmt: (v: number) => string, higherIsBetter = false) =>
    line([label, fmt(a), fmt(b), fmt(c), `${(higherIsBetter ? a / b : b / a).toFixed(2)}×`, `${(higherIsBetter ? a / c : c / a).toFixed(2)}×`]);
  line(header);
  row('ready (start→1st answer)', ours.readyMs, stock.readyMs, same.readyMs, ms);
  for (const [name, label] of [
    ['liveness720', 'liveness 720p'],
    ['liveness1080', 'liveness 1080p'],
    ['match1024', 'match 2×1024 JPEG, both new'],
    ['match1024Cached', 'match, the ID photo kept'],
  ] as const) {
    row(`${label} p50`, ours.latency[name].p50, stock.latency[name].p50, same.latency[name].p50, ms);
    row(`${label} p95`, ours.latency[name].p95, stock.latency[name].p95, same.latency[name].p95, ms);
  }
  for (const c of ['1', '2', '4']) row(`throughput, ${c} client(s)`, ours.throughput[c]!, stock.throughput[c]!, same.throughput[c]!, rps, true);
  row('visits (liveness + new match), 4 clients', ours.throughput.visits4!, stock.throughput.visits4!, same.throughput.visits4!, rps, true);
  line(['peak RSS', mb(ours.peakRssMb), mb(stock.peakRssMb), mb(same.peakRssMb), '', '']);
  if (ours.firstAnswer !== 'ok') console.log(`\nnote: the first liveness answer was "${ours.firstAnswer}"`);
}
