import { describe, expect, it } from 'vitest';
import { fitHomography, flatnessEvidence, residual, type Point } from './flatness';

/** A pinhole camera (focal 1000 px, centre 640,360) looking at 3-D points rotated by yaw/pitch (rad) and moved. */
function project(
  points: ReadonlyArray<readonly [number, number, number]>,
  pose: { yaw: number; pitch: number; tx?: number; ty?: number; z?: number },
): Point[] {
  const { yaw, pitch, tx = 0, ty = 0, z = 500 } = pose;
  return points.map(([x, y, d]) => {
    const x1 = x * Math.cos(yaw) + d * Math.sin(yaw);
    const z1 = -x * Math.sin(yaw) + d * Math.cos(yaw);
    const y2 = y * Math.cos(pitch) - z1 * Math.sin(pitch);
    const z2 = y * Math.sin(pitch) + z1 * Math.cos(pitch);
    const depth = z + z2;
    return [640 + (1000 * (x1 + tx)) / depth, 360 + (1000 * (y2 + ty)) / depth] as const;
  });
}

/** A face-sized grid (mm): flat, or with a head's relief (a nose 30 mm out, the outline 40 mm back). */
function face(relief: boolean) {
  const points: Array<readonly [number, number, number]> = [];
  for (let i = -4; i <= 4; i++)
    for (let j = -5; j <= 5; j++) {
      const x = i * 9;
      const y = j * 11;
      const depth = relief ? -30 * Math.exp(-(x * x + (y + 5) ** 2) / 300) + 40 * ((x / 40) ** 2 + (y / 60) ** 2) : 0;
      points.push([x, y, depth]);
    }
  return points;
}

// A deterministic wobble of about ±0.3 px: the landmark noise of a real detector.
const jitter = (points: Point[], seed: number): Point[] =>
  points.map(([x, y], i) => [x + 0.3 * Math.sin(seed * 7.1 + i * 1.3), y + 0.3 * Math.cos(seed * 3.7 + i * 2.1)]);

describe('fitHomography', () => {
  it('recovers a plane moved in 3-D exactly', () => {
    const plane = face(false);
    const a = project(plane, { yaw: 0, pitch: 0 });
    const b = project(plane, { yaw: 0.15, pitch: -0.1, tx: 12, ty: -8, z: 520 });
    const h = fitHomography(a, b)!;
    expect(residual(h, a, b)).toBeLessThan(1e-6);
  });

  it('refuses too few points', () => {
    expect(fitHomography([[0, 0]], [[1, 1]])).toBeNull();
  });
});

describe('flatnessEvidence', () => {
  const track = (relief: boolean, noise: boolean) =>
    Array.from({ length: 12 }, (_, k) => {
      const t = k / 11;
      const points = project(face(relief), { yaw: 0.08 * Math.sin(2 * Math.PI * t), pitch: 0.05 * Math.cos(2 * Math.PI * t), tx: 5 * t, ty: -3 * t });
      return noise ? jitter(points, k) : points;
    });
  const ipd = 125; // 63 mm at 500 mm and a 1000-px focal length

  it('finds a print or screen moved by hand flat, and a head turning a few degrees not', () => {
    const flat = flatnessEvidence(track(false, true), ipd);
    const head = flatnessEvidence(track(true, true), ipd);
    expect(flat.frames).toBe(12);
    // Both moved about the same.
    expect(flat.motion).toBeGreaterThan(0.02);
    expect(head.motion).toBeGreaterThan(0.02);
    // Only the noise is left unexplained for the plane; the head's relief is not a plane.
    expect(flat.nonPlanar).toBeLessThan(0.005);
    expect(head.nonPlanar).toBeGreaterThan(3 * flat.nonPlanar);
  });

  it('sees nothing in a face that did not move (undecided, not flat)', () => {
    const still = Array.from({ length: 8 }, () => project(face(true), { yaw: 0, pitch: 0 }));
    const evidence = flatnessEvidence(still, ipd);
    expect(evidence.motion).toBeCloseTo(0, 9);
    expect(evidence.nonPlanar).toBeCloseTo(0, 9);
  });
});
