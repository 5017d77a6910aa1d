import { LIVENESS, livenessAngleLimitsDeg } from './imageRequirements';

/** What a face detector tells about one face, in the pixels of the image it looked at. */
export interface FaceMetrics {
  /** Tight box around the face mesh (not the detector's enlarged square). */
  box: { x: number; y: number; width: number; height: number };
  /**
   * Face size as detectors report it: the side of the detection square (forehead to chin plus
   * margin). The document's "minimal face size 224 px" must be this measure: with the tight mesh
   * box, a face at the required ~90 px interpupillary distance would be only ~200 px.
   */
  sizePx: number;
  /** Distance between the iris centres, in pixels. */
  interpupillaryPx: number;
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Detector confidence 0..1. */
  score: number;
  /**
   * How open the eyes are: the mesh's eye aspect ratio (lid gap over eye width), the mean of both
   * eyes; absent without a face mesh. Open eyes read ~0.18–0.45, closed ones ~0.06–0.12 (app/guidance.ts).
   */
  eyeOpenness?: number;
  /**
   * The face's proportions: eye-to-mouth height over the eyes' outer-corner width (mesh points
   * 33/263 and 61/291). A print tilted away from the camera shortens the eyes' opening and this
   * alike, so the blink watch (app/blink.ts) divides one by the other; absent without a mesh.
   */
  faceProportion?: number;
}

/**
 * The liveness image rules, shared by the engine's quality gates and the kiosk's on-screen
 * guidance so the two never disagree. The document asks for an interpupillary distance of
 * ~90±5 px; the engine refuses below 85 and above 1.5× the target, where the face no longer fits
 * the models' expected scale. Guidance aims inside that (app/guidance.ts GUIDANCE).
 */
export const FACE_RULES = {
  interpupillaryPx: {
    target: LIVENESS.interpupillaryDistancePx.target,
    min: LIVENESS.interpupillaryDistancePx.target - LIVENESS.interpupillaryDistancePx.tolerance,
    max: LIVENESS.interpupillaryDistancePx.target * 1.5,
    /** The document's own upper edge (90 + 5): the hosted service may refuse more, so the kiosk never sends it. */
    documentMax: LIVENESS.interpupillaryDistancePx.target + LIVENESS.interpupillaryDistancePx.tolerance,
  },
  minFacePx: LIVENESS.minFaceSizePx,
  /** Service limits (document value + tolerance), and the document's own values (the liveness eval's "within guidance"). */
  limitsDeg: livenessAngleLimitsDeg(),
  guideDeg: { yaw: LIVENESS.maxYawDeg, pitch: LIVENESS.maxPitchDeg, roll: LIVENESS.maxRollDeg },
} as const;

/** The service's codes and messages for a face that breaks a rule (the document's style). */
export const FACE_REJECTIONS = {
  noFace: { code: 'FACE_NOT_FOUND', message: 'Unable to find a face in the image' },
  multipleFaces: { code: 'MULTIPLE_FACES', message: 'More than one face was found in the image' },
  ipdTooSmall: { code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' },
  faceTooSmall: { code: 'FACE_TOO_SMALL', message: 'Face size is too small' },
  ipdTooLarge: { code: 'FACE_TOO_LARGE', message: 'Interpupillary distance is too large' },
  yaw: { code: 'FACE_ANGLE_TOO_LARGE', message: 'Face yaw angle is out of range' },
  pitch: { code: 'FACE_ANGLE_TOO_LARGE', message: 'Face pitch angle is out of range' },
  roll: { code: 'FACE_ROLL_TOO_LARGE', message: 'Face roll angle is out of range' },
} as const;

export type FaceRejection = (typeof FACE_REJECTIONS)[keyof typeof FACE_REJECTIONS];

/** The first liveness rule a single detected face breaks, or null when it meets them all. */
export function livenessRuleBroken(face: FaceMetrics): FaceRejection | null {
  const { interpupillaryPx: ipd, limitsDeg } = FACE_RULES;
  if (face.interpupillaryPx < ipd.min) return FACE_REJECTIONS.ipdTooSmall;
  if (face.sizePx < FACE_RULES.minFacePx) return FACE_REJECTIONS.faceTooSmall;
  if (face.interpupillaryPx > ipd.max) return FACE_REJECTIONS.ipdTooLarge;
  if (Math.abs(face.yawDeg) > limitsDeg.yaw) return FACE_REJECTIONS.yaw;
  if (Math.abs(face.pitchDeg) > limitsDeg.pitch) return FACE_REJECTIONS.pitch;
  if (Math.abs(face.rollDeg) > limitsDeg.roll) return FACE_REJECTIONS.roll;
  return null;
}

/**
 * What the kiosk may send: the engine's rules with the document's 85–95 px window, not the
 * engine's wider tolerance, so a capture the built-in engine takes is one the hosted service takes.
 */
export function captureRuleBroken(face: FaceMetrics): FaceRejection | null {
  if (face.interpupillaryPx > FACE_RULES.interpupillaryPx.documentMax) return FACE_REJECTIONS.ipdTooLarge;
  return livenessRuleBroken(face);
}

/**
 * Faces that count as "another person": a face at least `ratio` the width of the largest. At the
 * kiosk (liveness) anyone half the visitor's size is standing close enough to matter; in a photo
 * to match, only a face of similar size makes "which one?" ambiguous, while smaller ones are
 * passers-by or the ghost portrait printed on many ID cards.
 */
export const SIGNIFICANT_FACE_RATIO = { liveness: 0.5, match: 0.8 } as const;

export function significantFaces<T extends { box: FaceMetrics['box'] }>(faces: readonly T[], ratio: number): T[] {
  const largest = Math.max(0, ...faces.map((f) => f.box.width));
  return faces.filter((f) => f.box.width >= largest * ratio);
}

/**
 * What a liveness picture's faces break, in the service's order (no face, more than one, then the
 * rules on the one face), or null when the picture is fit to judge.
 */
export function livenessRejection(faces: readonly FaceMetrics[]): FaceRejection | null {
  const significant = significantFaces(faces, SIGNIFICANT_FACE_RATIO.liveness);
  if (significant.length === 0) return FACE_REJECTIONS.noFace;
  if (significant.length > 1) return FACE_REJECTIONS.multipleFaces;
  return livenessRuleBroken(significant[0]!);
}
