import { FACE_RULES, SIGNIFICANT_FACE_RATIO, significantFaces, type FaceMetrics } from './faceRules';

/** One frame as the guidance loop sees it, in the captured frame's own pixels. */
export interface FrameObservation {
  width: number;
  height: number;
  faces: FaceMetrics[];
  /** Mean luma 0..255 over the face (or the frame when there is no face). */
  brightness: number;
  /** Variance of the Laplacian over the face: low means blurred. */
  sharpness: number;
  /** How far the face centre moved since the previous frame, in face widths. */
  movement: number;
}

export const INSTRUCTIONS = [
  'lookAtCamera',
  'onlyOnePerson',
  'moveCloser',
  'moveBack',
  'centerFace',
  'lookStraight',
  'keepHeadLevel',
  'findMoreLight',
  'holdStill',
  'good',
] as const;
export type Instruction = (typeof INSTRUCTIONS)[number];

/**
 * Guidance thresholds beyond the service's own (FACE_RULES): aim inside them, so a capture the
 * guidance accepts is one the service accepts. Sized for a visitor 40–80 cm from a kiosk camera:
 * at 720p with a typical 70° lens, 85–95 px between the pupils is about 45–55 cm.
 */
export const GUIDANCE = {
  /** The face centre must lie within this fraction of the frame from its centre (the oval). */
  maxCentreOffset: 0.18,
  /** Stricter than the service's ±23°/±33°: a visitor drifting a little still passes the service. */
  maxYawDeg: 15,
  maxPitchDeg: 15,
  maxRollDeg: 12,
  minBrightness: 70,
  maxBrightness: 225,
  minSharpness: 18,
  /** Face-widths per frame: more than this is motion, not breathing. */
  maxMovement: 0.04,
  /** All rules must hold this long before the frame is captured. */
  holdMs: 800,
  /** Manual capture is offered after this long without a good frame. */
  manualAfterMs: 10_000,
} as const;

/** The single most important thing to tell the visitor now, in priority order. */
export function nextInstruction(frame: FrameObservation): Instruction {
  const faces = significantFaces(frame.faces, SIGNIFICANT_FACE_RATIO.liveness);
  const face = faces[0];
  if (!face) return 'lookAtCamera';
  if (faces.length > 1) return 'onlyOnePerson';
  const ipd = FACE_RULES.interpupillaryPx;
  if (face.interpupillaryPx < ipd.guideMin || face.sizePx < FACE_RULES.minFacePx) return 'moveCloser';
  if (face.interpupillaryPx > ipd.guideMax) return 'moveBack';
  const cx = (face.box.x + face.box.width / 2) / frame.width - 0.5;
  const cy = (face.box.y + face.box.height / 2) / frame.height - 0.5;
  const fullyInside = face.box.x >= 0 && face.box.y >= 0 && face.box.x + face.box.width <= frame.width && face.box.y + face.box.height <= frame.height;
  if (!fullyInside || Math.hypot(cx, cy) > GUIDANCE.maxCentreOffset) return 'centerFace';
  if (Math.abs(face.yawDeg) > GUIDANCE.maxYawDeg || Math.abs(face.pitchDeg) > GUIDANCE.maxPitchDeg) return 'lookStraight';
  if (Math.abs(face.rollDeg) > GUIDANCE.maxRollDeg) return 'keepHeadLevel';
  if (frame.brightness < GUIDANCE.minBrightness || frame.brightness > GUIDANCE.maxBrightness) return 'findMoreLight';
  if (frame.movement > GUIDANCE.maxMovement || frame.sharpness < GUIDANCE.minSharpness) return 'holdStill';
  return 'good';
}

/**
 * Tracks how long every rule has held. Pure state in, state out: the guidance loop feeds it
 * frames with their time, and captures once `progress` reaches 1.
 */
export interface HoldState {
  goodSince: number | null;
  startedAt: number;
}

export function advanceHold(state: HoldState, instruction: Instruction, now: number) {
  const goodSince = instruction === 'good' ? (state.goodSince ?? now) : null;
  const progress = goodSince === null ? 0 : Math.min(1, (now - goodSince) / GUIDANCE.holdMs);
  return {
    state: { ...state, goodSince },
    progress,
    capture: progress >= 1,
    manualAllowed: now - state.startedAt >= GUIDANCE.manualAfterMs,
  };
}
