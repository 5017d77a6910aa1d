/**
 * Match accuracy on LFW's protocol (lfw.ts), computed the engine's own way: every image is
 * normalised as the kiosk does, analysed once by the engine's analysis pool (the same worker and
 * models a match request uses), its face chosen and its descriptor compared by the engine's own
 * functions. Analysing each image once, not once per pair, is what makes the thousands of
 * impostor pairs a 0.1 % false-match rate needs affordable.
 *
 * --degrade turns the second image of every pair into an ID-card portrait: at most 150 px wide,
 * mildly blurred, JPEG quality 60 (grey too with --degrade grey).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { createAnalysisPool } from '../engine/analysis/pool';
import { cosineSimilarity, matchScore } from '../engine/analysis/scores';
import { ApiError } from '../engine/http/errors';
import { matchFace } from '../engine/http/imageGates';
import { KioskError } from '../app/errors';
import { MATCH } from '../app/imageRequirements';
import { normalizeForMatch } from '../main/imaging/normalize';
import { impostorIndexPairs, parseLfwPairs, tenFoldAccuracy, type LfwPair } from './lfw';
import { atThreshold, countBy, quantiles, rocAuc, thresholdForFalseAccept } from './metrics';

export type Degrade = 'id' | 'grey';

/** An ID card's printed portrait as a document camera or scanner gives it. */
export async function asIdPortrait(bytes: Uint8Array, kind: Degrade): Promise<Buffer> {
  const image = sharp(bytes).rotate().resize({ width: 150, withoutEnlargement: true }).blur(0.6);
  return (kind === 'grey' ? image.greyscale() : image).jpeg({ quality: 60 }).toBuffer();
}

type Descriptor = { embedding: number[] } | { failed: string };

/** One report per pairs file (e.g. LFW's DevTrain to calibrate on, DevTest to report), each image analysed once. */
export async function evalLfw(options: { dir: string; pairsFiles: string[]; degrade?: Degrade; workers: number; impostorLimit?: number }) {
  const pool = await createAnalysisPool({ size: options.workers });
  const cache = new Map<string, Promise<Descriptor>>();
  const describe = (path: string, degraded: boolean): Promise<Descriptor> => {
    const key = `${degraded ? 'id' : 'as-is'}:${path}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          try {
            let bytes: Uint8Array = await readFile(join(options.dir, path));
            if (degraded && options.degrade) bytes = await asIdPortrait(bytes, options.degrade);
            return { embedding: matchFace(await pool.analyze('match', (await normalizeForMatch(bytes)).bytes), path) };
          } catch (error) {
            if (error instanceof ApiError || error instanceof KioskError) return { failed: error.code };
            throw error;
          }
        })(),
      );
    }
    return cache.get(key)!;
  };
  try {
    const reports: Record<string, ReturnType<typeof report>> = {};
    for (const file of options.pairsFiles) {
      const pairs = parseLfwPairs(await readFile(file, 'utf8'));
      // All at once: the pool queues what its workers cannot take yet.
      const scored = await Promise.all(
        pairs.map(async (pair) => {
          const [a, b] = await Promise.all([describe(pair.a, false), describe(pair.b, true)]);
          const cosine = 'embedding' in a && 'embedding' in b ? cosineSimilarity(a.embedding, b.embedding) : null;
          return { ...pair, cosine, score: cosine === null ? null : matchScore(cosine), failed: [a, b].flatMap((d) => ('failed' in d ? [d.failed] : [])) };
        }),
      );
      reports[basename(file)] = report(scored, await impostorPool(pairs, describe, options.impostorLimit ?? 200_000));
    }
    return reports;
  } finally {
    await pool.close();
  }
}

/** Cosines of the impostor pool (lfw.ts) among the images the pairs file names, each as it is. */
async function impostorPool(pairs: readonly LfwPair[], describe: (path: string, degraded: boolean) => Promise<Descriptor>, limit: number) {
  const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
  const described = await Promise.all(images.map(async (path) => ({ person: path.split('/')[0]!, d: await describe(path, false) })));
  const usable = described.flatMap((x) => ('embedding' in x.d ? [{ person: x.person, embedding: x.d.embedding }] : []));
  return impostorIndexPairs(
    usable.map((u) => u.person),
    limit,
  ).map(([i, j]) => cosineSimilarity(usable[i]!.embedding, usable[j]!.embedding));
}

/**
 * Rates in scores (0..100, PASS ≥ 48) for the pairs files' own pairs; operating points in cosine
 * against the impostor pool, which is what the score mapping is calibrated in.
 */
function report(scored: Array<LfwPair & { cosine: number | null; score: number | null; failed: string[] }>, impostorCosines: number[]) {
  const genuine = scored.filter((p) => p.same && p.score !== null).map((p) => p.score!);
  const impostor = scored.filter((p) => !p.same && p.score !== null).map((p) => p.score!);
  const genuineCosines = scored.filter((p) => p.same && p.cosine !== null).map((p) => p.cosine!);
  const failed = scored.filter((p) => p.score === null);
  const atPass = atThreshold(genuine, impostor, MATCH.passThreshold);
  const at = (fmr: number) =>
    (({ threshold, falseAccept, falseReject }) => ({ cosine: threshold, score: matchScore(threshold), fmr: falseAccept, fnmr: falseReject }))(
      thresholdForFalseAccept(genuineCosines, impostorCosines, fmr),
    );
  const genuineFailures = failed.filter((p) => p.same).length;
  return {
    pairs: { same: scored.filter((p) => p.same).length, different: scored.filter((p) => !p.same).length },
    failuresToAcquire: { pairs: failed.length, byCode: countBy(failed.flatMap((p) => p.failed)) },
    accuracy10Fold: tenFoldAccuracy(scored),
    rocAuc: rocAuc(genuine, impostor),
    atPass48: {
      fmr: atPass.falseAccept,
      fnmr: atPass.falseReject,
      /** A failure to acquire refuses the visitor: FNMR counting genuine pairs with no face as refused. */
      fnmrWithFailures: (genuine.filter((s) => s < MATCH.passThreshold).length + genuineFailures) / Math.max(1, genuine.length + genuineFailures),
      fmrOnImpostorPool: atThreshold(
        [],
        impostorCosines.map((c) => matchScore(c)),
        MATCH.passThreshold,
      ).falseAccept,
    },
    impostorPool: impostorCosines.length,
    /** Operating points on the genuine pairs against the impostor pool (cosine, and its score today). */
    atFmr1Percent: at(0.01),
    atFmr01Percent: at(0.001),
    atFmr001Percent: at(0.0001),
    /** Where the impostor pool's cosines lie: the score mapping's floor is anchored on the median. */
    impostorCosines: quantiles(impostorCosines),
  };
}
