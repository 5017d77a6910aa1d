import { FACE_RULES, type FaceMetrics } from './faceRules';
import { scaleMetrics } from './humanFace';
import { LIVENESS } from './imageRequirements';

/**
 * The capture geometry the API document asks for (~90 ± 5 px between the pupils, height ≥ 480,
 * face ≥ 224 px) is a property of the image sent, not of where the visitor stands: main scales
 * every live capture so the pupils are CAPTURE_IPD apart (main/imaging/normalize.ts), and the
 * visitor may stand anywhere in the range below. Guidance and main both read this file, so what
 * guidance accepts is what main can turn into an image the service accepts.
 */
export const CAPTURE_IPD = FACE_RULES.interpupillaryPx.target;

/**
 * The factor main scales a live frame by: pupils to CAPTURE_IPD, never up (upscaling would blur
 * the skin texture the liveness model reads, so the document's 85 px is the far end of the
 * range), and never taller than the document's 1080.
 */
export function captureScale(frame: { height: number }, interpupillaryPx: number): number {
  return Math.min(1, CAPTURE_IPD / interpupillaryPx, LIVENESS.maxHeight / frame.height);
}

/** A face as it will be in the image sent: measured in the camera's frame, scaled by captureScale. */
export function faceAsSent(frame: { height: number }, face: FaceMetrics): { face: FaceMetrics; height: number } {
  const scale = captureScale(frame, face.interpupillaryPx);
  return { face: scaleMetrics(face, scale), height: Math.round(frame.height * scale) };
}

/**
 * Where a visitor may stand, in pupil pixels of the camera's own frame. The far end is the
 * document's floor (85 px; never upscaled). The near end is the closest distance at which the
 * frame, scaled to CAPTURE_IPD, is still the document's minimum height (480 px): the same face
 * share of the frame at any resolution (pupils 18.75 % of the frame height; the mesh then fills
 * about half of it and the liveness model's window about 1.9 face heights). Closer faces scored as
 * live as faces at 90 px on the shared videos (docs/accuracy.md, "Guidance rules"); nothing beyond this end was kept.
 * A frame taller than 1080 is scaled to 1080 as well, which raises both ends.
 */
export function distanceRange(frame: { height: number }): { minIpd: number; maxIpd: number } {
  const tallFactor = Math.max(1, frame.height / LIVENESS.maxHeight);
  return {
    minIpd: FACE_RULES.interpupillaryPx.min * tallFactor,
    maxIpd: (frame.height * CAPTURE_IPD) / LIVENESS.minHeight,
  };
}
