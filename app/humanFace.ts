import type { FaceResult, Point } from '@vladmandic/human';
import type { FaceMetrics } from './faceRules';

const DEG = 180 / Math.PI;

/**
 * Human's face detector squeezes the whole frame into its square input, unevenly when the frame
 * is not square, and the pupils it then finds move with the frame's shape: the same face measured
 * 90.8 px square, 91.8 px in a portrait frame and 108.7 px in a landscape one (docs/accuracy.md, "Frame
 * shape"). Every frame is letterboxed to a square before detection, the picture at the top left
 * so the faces' coordinates need no shift. On real webcam footage it also lowered the spread of
 * the measure for a face standing still (standard deviation 2.9 → 1.3 px on one video).
 */
export const letterboxSide = (width: number, height: number) => Math.max(width, height);

/**
 * The long side an analysis decodes to: the engine's default, and the size at which guidance
 * re-checks its chosen frame, so both measure the same pixels.
 */
export const ANALYSIS_MAX_SIDE = 1280;

/**
 * Human's face detector as guidance and the engine both run it, so they find and measure a face
 * alike (each adds how many faces it needs and its caching).
 */
export const FACE_DETECTOR = { enabled: true, rotation: true, minConfidence: 0.4, return: false } as const;

/** Human's face modules neither guidance nor the engine uses (its own liveness and antispoof scored attacks higher than live faces: docs/accuracy.md, "Liveness"). */
export const FACE_MODULES_OFF = {
  emotion: { enabled: false },
  antispoof: { enabled: false },
  liveness: { enabled: false },
  attention: { enabled: false },
  gear: { enabled: false },
} as const;

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function tightBox(face: FaceResult, offset: number): FaceMetrics['box'] {
  if (face.mesh.length === 0) {
    const [x, y, width, height] = face.box;
    return { x: x - offset, y: y - offset, width, height };
  }
  const xs = face.mesh.map((p) => p[0]);
  const ys = face.mesh.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x: x - offset, y: y - offset, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function interpupillary(face: FaceResult): number {
  const left = face.annotations.leftEyeIris?.[0];
  const right = face.annotations.rightEyeIris?.[0];
  if (left && right) return Math.hypot(left[0] - right[0], left[1] - right[1]);
  // Without the iris model: the eye-corner midpoints are a close stand-in for the pupils.
  const centre = (points: readonly Point[] | undefined) => (points?.length ? ([mean(points.map((p) => p[0])), mean(points.map((p) => p[1]))] as const) : null);
  const l = centre(face.annotations.leftEyeLower0);
  const r = centre(face.annotations.rightEyeLower0);
  return l && r ? Math.hypot(l[0] - r[0], l[1] - r[1]) : 0;
}

/**
 * The eye aspect ratio of one eye from the 468-point mesh: the two lid gaps over the corner-to-
 * corner width (MediaPipe's indices: outer corner, upper lid ×2, inner corner, lower lid ×2).
 */
const EYES = [
  {
    corners: [33, 133],
    lids: [
      [160, 144],
      [158, 153],
    ],
  },
  {
    corners: [362, 263],
    lids: [
      [385, 380],
      [387, 373],
    ],
  },
] as const;

function eyeOpenness(mesh: readonly Point[]): number | undefined {
  if (mesh.length < 468) return undefined;
  const gap = ([a, b]: readonly [number, number]) => Math.hypot(mesh[a]![0] - mesh[b]![0], mesh[a]![1] - mesh[b]![1]);
  const ratios = EYES.map(({ corners, lids }) => (gap(lids[0]) + gap(lids[1])) / (2 * Math.max(1e-6, gap(corners))));
  return mean(ratios);
}

function faceProportion(mesh: readonly Point[]): number | undefined {
  if (mesh.length < 468) return undefined;
  const mid = (a: number, b: number) => [(mesh[a]![0] + mesh[b]![0]) / 2, (mesh[a]![1] + mesh[b]![1]) / 2] as const;
  const [eyes, mouth] = [mid(33, 263), mid(61, 291)];
  const width = Math.hypot(mesh[33]![0] - mesh[263]![0], mesh[33]![1] - mesh[263]![1]);
  return Math.hypot(eyes[0] - mouth[0], eyes[1] - mouth[1]) / Math.max(1e-6, width);
}

/**
 * One Human face result as the shared rules see it, in the pixels of the image Human was given
 * (minus `offset` when the image was padded). The engine and the kiosk's guidance both use this,
 * so they measure a face the same way.
 */
export function toFaceMetrics(face: FaceResult, offset = 0): FaceMetrics {
  const eyes = eyeOpenness(face.mesh);
  const proportion = faceProportion(face.mesh);
  return {
    box: tightBox(face, offset),
    sizePx: Math.max(face.box[2], face.box[3]),
    interpupillaryPx: interpupillary(face),
    yawDeg: (face.rotation?.angle.yaw ?? 0) * DEG,
    pitchDeg: (face.rotation?.angle.pitch ?? 0) * DEG,
    rollDeg: (face.rotation?.angle.roll ?? 0) * DEG,
    score: face.score,
    ...(eyes === undefined ? {} : { eyeOpenness: eyes }),
    ...(proportion === undefined ? {} : { faceProportion: proportion }),
  };
}

/** Metrics measured on a picture scaled by 1/`k`, in the original picture's pixels. */
export function scaleMetrics(m: FaceMetrics, k: number): FaceMetrics {
  return {
    ...m,
    box: { x: m.box.x * k, y: m.box.y * k, width: m.box.width * k, height: m.box.height * k },
    sizePx: m.sizePx * k,
    interpupillaryPx: m.interpupillaryPx * k,
  };
}
