/**
 * `npx tsx bench/descriptorBakeoff.ts --lfw DIR --pairs FILE` — face descriptors side by side on
 * LFW's protocol: the engine's (dlib's ResNet on a chip aligned from Human's mesh, through the
 * engine's analysis pool), Human's own faceres (the engine's descriptor before it, on the same
 * detector and mesh), and @vladmandic/face-api's pipeline for dlib's model (its own SSD detector,
 * 68 landmarks and crop), each alone, and the best two fused (mean of z-scores on the impostor pool).
 *
 * A measurement, not part of the product: face-api needs the full `@tensorflow/tfjs`, which the
 * project does not depend on. Install it for the run: `npm i --no-save @tensorflow/tfjs@4.22.0`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { createAnalysisPool } from '../engine/analysis/pool';
import { cosineSimilarity } from '../engine/analysis/scores';
import { matchFace } from '../engine/http/imageGates';
import { normalizeForMatch } from '../main/imaging/normalize';
import { impostorIndexPairs, parseLfwPairs, tenFoldAccuracy } from './lfw';
import { rocAuc, thresholdForFalseAccept } from './metrics';

const { values } = parseArgs({ options: { lfw: { type: 'string' }, pairs: { type: 'string' }, workers: { type: 'string', default: '1' } } });
const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any -- face-api and tfjs are loaded untyped, for this measurement only */
const tf: any = require('@tensorflow/tfjs');
const wasm: any = require('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
await tf.setBackend('wasm');
await tf.ready();
const faceapi: any = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
await faceapi.nets.faceRecognitionNet.loadFromDisk(models);

const faceresConfig = engineConfig(['detector', 'mesh', 'description']);
const human = await loadHuman(faceresConfig);

const pairs = parseLfwPairs(await readFile(values.pairs!, 'utf8'));
const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
const pool = await createAnalysisPool({ size: Number(values.workers) });

const NAMES = ['engine', 'faceres', 'faceapi'] as const;
type Name = (typeof NAMES)[number];
type Vectors = Record<Name, number[] | null>;
const described = new Map<string, Vectors>();
const cost: Record<Name, number> = { engine: 0, faceres: 0, faceapi: 0 };
// As the engine answers: no face, or two similar faces about as central, is a failure to acquire.
const chosen = (analysis: Parameters<typeof matchFace>[0], path: string) => {
  try {
    return matchFace(analysis, path);
  } catch {
    return null;
  }
};
for (const path of images) {
  const bytes = (await normalizeForMatch(await readFile(join(values.lfw!, path)))).bytes;
  let t = performance.now();
  const engine = chosen(await pool.analyze('match', bytes), path);
  cost.engine += performance.now() - t;
  t = performance.now();
  const faceres = chosen(await analyze(human, faceresConfig, bytes, { retryIfNoFace: true }), path);
  cost.faceres += performance.now() - t;
  t = performance.now();
  const { data, info } = await sharp(bytes).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const input = tf.tensor3d(data, [info.height, info.width, 3], 'int32');
  const found = await faceapi
    .detectSingleFace(input, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.2 }))
    .withFaceLandmarks()
    .withFaceDescriptor();
  tf.dispose(input);
  cost.faceapi += performance.now() - t;
  described.set(path, { engine, faceres, faceapi: found ? Array.from(found.descriptor as Float32Array) : null });
}
await pool.close();

/** The impostor pool (lfw.ts) among the images every descriptor saw. */
const usable = images.filter((p) => NAMES.every((n) => described.get(p)![n]));
const impostorPairs = impostorIndexPairs(
  usable.map((p) => p.split('/')[0]!),
  200_000,
).map(([i, j]): [Vectors, Vectors] => [described.get(usable[i]!)!, described.get(usable[j]!)!]);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const cosines = (name: Name) => impostorPairs.map(([a, b]) => cosineSimilarity(a[name]!, b[name]!));
const norm = Object.fromEntries(
  NAMES.map((n) => {
    const c = cosines(n);
    return [n, { m: mean(c), s: std(c) }];
  }),
) as Record<Name, { m: number; s: number }>;
const z = (name: Name, c: number) => (c - norm[name].m) / norm[name].s;
/** Fusion of the engine's descriptor with faceres: the best two, and the two that differ in model. */
const FUSED = ['engine', 'faceres'] as const;
const pairScore = (name: Name | 'fused', a: Vectors, b: Vectors): number | null => {
  if (name !== 'fused') return a[name] && b[name] ? cosineSimilarity(a[name]!, b[name]!) : null;
  const [r, f] = FUSED.map((n) => pairScore(n, a, b));
  return r == null || f == null ? null : (z(FUSED[0], r) + z(FUSED[1], f)) / 2;
};

console.log(`Descriptor bake-off on ${values.pairs} (${pairs.length} pairs, ${images.length} images)`);
for (const name of [...NAMES, 'fused'] as const) {
  const scored = pairs.map((p) => ({ same: p.same, score: pairScore(name, described.get(p.a)!, described.get(p.b)!) }));
  const genuine = scored.filter((p) => p.same && p.score !== null).map((p) => p.score!);
  const impostor = scored.filter((p) => !p.same && p.score !== null).map((p) => p.score!);
  const poolScores = impostorPairs.map(([a, b]) => pairScore(name, a, b)!);
  const acc = tenFoldAccuracy(scored);
  const at = (fmr: number) => thresholdForFalseAccept(genuine, poolScores, fmr);
  const fta = scored.filter((p) => p.score === null).length;
  console.log(
    `${name.padEnd(8)} accuracy ${(acc.mean * 100).toFixed(2)} ± ${(acc.std * 100).toFixed(2)} %   AUC ${rocAuc(genuine, impostor).toFixed(4)}   ` +
      `FNMR at FMR 1 % ${(at(0.01).falseReject * 100).toFixed(1)} %, at 0.1 % ${(at(0.001).falseReject * 100).toFixed(1)} % (${poolScores.length} impostor pairs)   pairs with no face ${fta}`,
  );
}
console.log(
  `cost per image: engine (detector + mesh + dlib ResNet on the chip and its mirror) ${(cost.engine / images.length).toFixed(0)} ms, faceres (detector + mesh + faceres) ${(cost.faceres / images.length).toFixed(0)} ms, face-api (SSD + 68 landmarks + dlib ResNet) ${(cost.faceapi / images.length).toFixed(0)} ms`,
);
