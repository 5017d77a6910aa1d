/**
 * `npm run bench:engine` — speed and memory of the local engine, and the same work through Human's
 * stock configuration as the baseline, side by side in one run. Prints numbers; passes nothing.
 *
 * Work: liveness on a 720p and a 1080p PNG, match on two 1024 px JPEGs (faces from
 * @vladmandic/face-api's sample photos), then liveness throughput with 1, 2 and 4 clients.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startEngine } from '../engine/engine';
import type { AnalysisProfile } from '../engine/analysis/humanNode';
import { hashPassword } from '../engine/http/users';
import { createBiointellicClient } from '../main/biointellic/client';
import { faceCrop, livenessCapture } from '../tests/support/faces';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, workers: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } } });
const WORKERS = Number(values.workers);
const RUNS = Number(values.runs);

const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function inputs() {
  const capture = await livenessCapture('C', 100); // 600×720, one face
  const p720 = await sharp(capture).extend({ left: 340, right: 340, background: '#3a3a3a' }).png().toBuffer();
  const p1080 = await sharp(await livenessCapture('C', 100)).resize({ height: 1080 }).extend({ left: 510, right: 510, background: '#3a3a3a' }).png().toBuffer();
  const big = async (b: Buffer) => sharp(b).resize(1024, 1024, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
  return {
    p720,
    p1080,
    m1: { bytes: await big(await faceCrop('A', { margin: 1 })), contentType: 'image/jpeg' as const },
    m2: { bytes: await big(await faceCrop('A', { margin: 0.7 })), contentType: 'image/jpeg' as const },
  };
}

async function measure(profile: AnalysisProfile, work: Awaited<ReturnType<typeof inputs>>) {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const engine = await startEngine({ users: new Map([['bench', await hashPassword('bench')]]), debugDir: '/nonexistent', workers: WORKERS, analysisProfile: profile });
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
  const latency = {
    liveness720: await timed(() => main.liveness(work.p720)),
    liveness1080: await timed(() => main.liveness(work.p1080)),
    match1024: await timed(() => main.match(work.m1, work.m2)),
  };
  const throughput: Record<string, number> = {};
  for (const clients of [1, 2, 4]) {
    const perClient = Math.max(2, Math.round(RUNS / 2));
    const t = performance.now();
    await Promise.all(Array.from({ length: clients }, async () => {
      const c = client();
      for (let i = 0; i < perClient; i++) await c.liveness(work.p720).catch(() => undefined);
    }));
    throughput[`${clients}`] = (clients * perClient) / ((performance.now() - t) / 1000);
  }
  clearInterval(sampler);
  await engine.close();
  return { profile, readyMs, firstAnswer: first instanceof Error ? first.message : 'ok', latency, throughput, peakRssMb: peakRss / 1e6 };
}

const work = await inputs();
const ours = await measure('engine', work);
const stock = await measure('stock', work);
const ratio = (a: number, b: number) => (b / a).toFixed(2);
if (values.json) {
  console.log(JSON.stringify({ runs: RUNS, ours, stock }, null, 2));
} else {
  const ms = (v: number) => `${v.toFixed(0)} ms`.padStart(8);
  console.log(`Local engine benchmark, ${RUNS} runs each, ${WORKERS} analysis worker(s) (stock = Human's default configuration)\n`);
  console.log(`${''.padEnd(26)}${'engine'.padStart(10)}${'stock'.padStart(10)}   stock/engine`);
  const row = (label: string, a: number, b: number, fmt = ms) => console.log(`${label.padEnd(26)}${fmt(a).padStart(10)}${fmt(b).padStart(10)}   ${ratio(a, b)}×`);
  row('ready (start→1st answer)', ours.readyMs, stock.readyMs);
  for (const [name, label] of [['liveness720', 'liveness 720p'], ['liveness1080', 'liveness 1080p'], ['match1024', 'match 2×1024 JPEG']] as const) {
    row(`${label} p50`, ours.latency[name].p50, stock.latency[name].p50);
    row(`${label} p95`, ours.latency[name].p95, stock.latency[name].p95);
  }
  const rps = (v: number) => `${v.toFixed(2)}/s`;
  for (const c of ['1', '2', '4']) {
    console.log(`${`throughput, ${c} client(s)`.padEnd(26)}${rps(ours.throughput[c]!).padStart(10)}${rps(stock.throughput[c]!).padStart(10)}   ${(ours.throughput[c]! / stock.throughput[c]!).toFixed(2)}× (engine/stock)`);
  }
  console.log(`${'peak RSS'.padEnd(26)}${`${ours.peakRssMb.toFixed(0)} MB`.padStart(10)}${`${stock.peakRssMb.toFixed(0)} MB`.padStart(10)}`);
  if (ours.firstAnswer !== 'ok') console.log(`\nnote: the first liveness answer was "${ours.firstAnswer}"`);
}
