/**
 * A candidate second liveness signal, measured and not used by the kiosk (docs/accuracy.md, "Why a
 * blink, and not flatness from motion"; bench/secondSignal.ts compares it with the blink):
 * is the face in front of the camera flat? A print or a
 * screen moved by hand is a plane, and the image of a plane under any camera motion is a single
 * homography of another view of it; a real head (even one that barely moves) is not a plane:
 * nose, eyes, cheeks and the face's outline sit at different depths, and expression and blinks
 * change its shape. Over the capture hold, every frame's face-mesh landmarks are mapped from the
 * hold's first frame by the best homography; what the homography cannot explain, relative to how
 * far the face moved, is the evidence.
 */

import { median } from './median';

export type Point = readonly [number, number];
type Matrix3 = [number, number, number, number, number, number, number, number, number];

/**
 * Face-mesh indices that do not open and close (no eyelids, no inner lips: a blink or a word is
 * not the signal's business, and guidance's frames alternate between iris-refined and plain eye
 * outlines): the face's outline, the eyebrows, the nose and the outer lips. Human's annotation
 * lists (silhouette, eyebrows upper, nose, lips outer).
 */
export const RIGID_LANDMARKS: readonly number[] = [
  // silhouette
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
  54, 103, 67, 109,
  // eyebrows (upper)
  383, 300, 293, 334, 296, 336, 285, 417, 156, 70, 63, 105, 66, 107, 55, 193,
  // nose: between the eyes, the bridge, the tip, the base
  168, 6, 197, 195, 5, 4, 1, 2,
  // lips, outer
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
];

/** Hartley's normalisation: centroid to the origin, mean distance √2. */
function normaliser(points: readonly Point[]): Matrix3 {
  let cx = 0;
  let cy = 0;
  for (const [x, y] of points) {
    cx += x;
    cy += y;
  }
  cx /= points.length;
  cy /= points.length;
  let d = 0;
  for (const [x, y] of points) d += Math.hypot(x - cx, y - cy);
  const s = Math.SQRT2 / Math.max(1e-9, d / points.length);
  return [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1];
}

const apply = (m: Matrix3, [x, y]: Point): Point => {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
};

function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += a[r * 3 + k]! * b[k * 3 + c]!;
  return out as Matrix3;
}

function invertSimilarity(t: Matrix3): Matrix3 {
  // t = [s 0 tx; 0 s ty; 0 0 1]
  const s = t[0];
  return [1 / s, 0, -t[2] / s, 0, 1 / s, -t[5] / s, 0, 0, 1];
}

/** Solves the n×n system a·x = b in place by Gaussian elimination with partial pivoting; null if singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = b[r]!;
    for (let c = r + 1; c < n; c++) sum -= a[r]![c]! * x[c]!;
    x[r] = sum / a[r]![r]!;
  }
  return x;
}

/**
 * The homography that maps `from` onto `to` best in the least-squares sense (h33 = 1, on
 * normalised coordinates), or null when the points do not determine one.
 */
export function fitHomography(from: readonly Point[], to: readonly Point[]): Matrix3 | null {
  if (from.length < 4 || from.length !== to.length) return null;
  const tf = normaliser(from);
  const tt = normaliser(to);
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  for (let i = 0; i < from.length; i++) {
    const [x, y] = apply(tf, from[i]!);
    const [u, v] = apply(tt, to[i]!);
    const rows: Array<[number[], number]> = [
      [[x, y, 1, 0, 0, 0, -u * x, -u * y], u],
      [[0, 0, 0, x, y, 1, -v * x, -v * y], v],
    ];
    for (const [row, rhs] of rows) {
      for (let r = 0; r < 8; r++) {
        atb[r]! += row[r]! * rhs;
        for (let c = 0; c < 8; c++) ata[r]![c]! += row[r]! * row[c]!;
      }
    }
  }
  const h = solve(ata, atb);
  if (!h) return null;
  const normalised = [...h, 1] as Matrix3;
  return multiply(invertSimilarity(tt), multiply(normalised, tf));
}

/** Root-mean-square distance between `to` and `from` mapped by `h`. */
export function residual(h: Matrix3, from: readonly Point[], to: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < from.length; i++) {
    const [x, y] = apply(h, from[i]!);
    sum += (x - to[i]![0]) ** 2 + (y - to[i]![1]) ** 2;
  }
  return Math.sqrt(sum / from.length);
}

/** What the hold showed: how far the face moved, and how much of it no plane explains. */
export interface FlatnessEvidence {
  /** Frames of the hold the face was measured in. */
  frames: number;
  /** Median over frames of the landmarks' RMS displacement from the first frame, in pupil distances. */
  motion: number;
  /** Median over frames of the homography's RMS residual, in pupil distances. */
  nonPlanar: number;
}

/**
 * The evidence over a track of landmark sets (one per frame, the same landmarks in the same
 * order), in units of the face's pupil distance so it reads the same at any distance.
 */
export function flatnessEvidence(track: ReadonlyArray<readonly Point[]>, interpupillaryPx: number): FlatnessEvidence {
  const first = track[0];
  const motions: number[] = [];
  const residuals: number[] = [];
  if (first && interpupillaryPx > 0) {
    for (const points of track.slice(1)) {
      const h = fitHomography(first, points);
      if (!h) continue;
      let moved = 0;
      for (let i = 0; i < first.length; i++) moved += (points[i]![0] - first[i]![0]) ** 2 + (points[i]![1] - first[i]![1]) ** 2;
      motions.push(Math.sqrt(moved / first.length) / interpupillaryPx);
      residuals.push(residual(h, first, points) / interpupillaryPx);
    }
  }
  return { frames: track.length, motion: median(motions), nonPlanar: median(residuals) };
}
