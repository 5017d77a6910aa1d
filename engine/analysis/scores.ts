/**
 * Turning measurements into the document's scores. The operating points were chosen with
 * `npm run eval` on ../shared/eval (docs/accuracy.md), never on single files.
 */
import { MATCH } from '../../app/imageRequirements';

/**
 * The match score's two anchors, in cosine similarity of the engine's face descriptors
 * (faceDescriptor.ts), calibrated on the impostor pool of LFW's DevTrain split (~204,000 pairs of
 * different people; docs/accuracy.md, "Match"):
 * - `pass`: the score is exactly 48 (the document's PASS). FMR 0.1 % sits at 0.931 there; 0.935
 *   leaves a margin for people and cameras that are not LFW's.
 * - `floor`: the score is 0, at the pool's median (0.841): a typical stranger scores 0, not 40.
 */
export const MATCH_CALIBRATION = { floor: 0.84, pass: 0.935 } as const;

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error('descriptors differ in length');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * Maps cosine similarity to 0..100, piecewise linear through the anchors: `floor` and below → 0,
 * `pass` → 48, 1 → 100. Monotonic, so FMR/FNMR at 48 are exactly those at `pass`.
 */
export function matchScore(cosine: number, anchors: { floor: number; pass: number } = MATCH_CALIBRATION): number {
  const { floor, pass: atPass } = anchors;
  const c = Math.min(1, Math.max(floor, cosine));
  const pass = MATCH.passThreshold;
  return c <= atPass ? (pass * (c - floor)) / (atPass - floor) : pass + ((100 - pass) * (c - atPass)) / (1 - atPass);
}

/**
 * Liveness (antispoof.ts: MiniFASNet's probability that the face is real, 0..1) passes at this
 * score or above. One half is the model's own decision point (above it "real" is its likeliest
 * class), not a value fitted to our set: on ../shared/eval at the kiosk's capture distance the
 * worst attack frame scored 0.42 and 4.8 % of live frames fell below (docs/accuracy.md, "Liveness").
 */
export const LIVENESS_PASS = 0.5;

/**
 * An operator's liveness operating point (`--liveness-pass`, BIOINTELLIC_ENGINE_LIVENESS_PASS):
 * undefined when none is given; a RangeError saying what is wrong when it is not 0..1.
 */
export function parseLivenessPass(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`The liveness operating point must be a number from 0 to 1 (got "${text}").`);
  return value;
}

/** The document sends numbers as strings with about seven significant digits. */
export const asResultString = (value: number): string => String(Number(value.toPrecision(7)));
