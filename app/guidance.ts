import { FACE_RULES, SIGNIFICANT_FACE_RATIO, significantFaces, type FaceMetrics } from './faceRules';
import { LIVENESS } from './imageRequirements';

/** One frame as the guidance loop sees it, in the captured frame's own pixels. */
export interface FrameObservation {
  width: number;
  height: number;
  faces: FaceMetrics[];
  /** Light on the face (or the frame when there is no face): frameStats.ts. */
  light: FaceLight;
  /** Variance of the Laplacian over the face: low means blurred. */
  sharpness: number;
  /** How fast the face centre moves, in face widths per second (frameStats.ts). */
  movement: number;
}

/** Luma 0..255 over the face (faceLight), and the frame's mean for comparison. */
export interface FaceLight {
  mean: number;
  /** 95th minus 5th percentile over the face: how much detail the light shows. */
  spread: number;
  /** Share of blown-out face pixels (luma ≥ 250): glare from a lamp or a window. */
  blown: number;
  /** Mean luma of the whole frame. */
  frameMean: number;
}

/** Rec. 601 luma of one RGB pixel, as a camera's Y channel. */
export const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * The light measures over a face's luma samples: the one definition the kiosk's guidance and the
 * calibration (bench) share.
 */
export function faceLight(samples: ArrayLike<number>, frameMean: number): FaceLight {
  const sorted = Float32Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { mean: 0, spread: 0, blown: 0, frameMean };
  let sum = 0;
  let blown = 0;
  for (const v of sorted) {
    sum += v;
    if (v >= 250) blown += 1;
  }
  return { mean: sum / n, spread: sorted[Math.floor(0.95 * (n - 1))]! - sorted[Math.floor(0.05 * (n - 1))]!, blown: blown / n, frameMean };
}

export const INSTRUCTIONS = [
  'lookAtCamera',
  'onlyOnePerson',
  'lookStraight',
  'moveCloser',
  'moveBack',
  'centerFace',
  'keepHeadLevel',
  'findMoreLight',
  'tooBright',
  'holdStill',
  'good',
] as const;
export type Instruction = (typeof INSTRUCTIONS)[number];

/**
 * A limit with hysteresis: a rule starts failing past `leave` and, once its instruction is on
 * screen, stops failing only back inside `enter`. A face sitting on one value never flickers
 * between two instructions.
 */
export interface Band {
  enter: number;
  leave: number;
}

const ipd = FACE_RULES.interpupillaryPx;

/**
 * Guidance thresholds beyond the service's own (FACE_RULES): aim inside them, so a capture the
 * guidance accepts is one the service accepts. Sized for a visitor 40–80 cm from a kiosk camera:
 * at 720p with a typical 70° lens, 85–95 px between the pupils is about 45–55 cm.
 */
export const GUIDANCE = {
  /**
   * Guidance measures the pupils on a 640-px downscale, the service on the full frame (both
   * letterboxed to a square). On 228 frontal frames of real webcam footage at kiosk distance the
   * downscale read a median 0.0 px off the full frame, 2.0 px high at p90 and 5.0 px at most
   * (README, "Guidance rules"). The hard guard is the full-size re-check of the frame guidance
   * sends against the document's 85–95 (captureRuleBroken, useGuidance.ts); the window's edges
   * (`leave`) sit 1 px inside it. With 2 px, the 3-px band a shown instruction had to clear
   * (89–91) was narrower than a real visitor's sway: one of the two real clips was never captured.
   */
  minIpd: { enter: ipd.min + 3, leave: ipd.min + 1 } satisfies Band,
  maxIpd: { enter: ipd.documentMax - 3, leave: ipd.documentMax - 1 } satisfies Band,
  /** The face centre must lie within this fraction of the frame from its centre (the oval). */
  maxCentreOffset: { enter: 0.15, leave: 0.18 } satisfies Band,
  /** Stricter than the service's ±23°/±33°: a visitor drifting a little still passes the service. */
  maxYawDeg: { enter: 12, leave: 15 } satisfies Band,
  maxPitchDeg: { enter: 12, leave: 15 } satisfies Band,
  maxRollDeg: { enter: 9, leave: 12 } satisfies Band,
  /**
   * Light, on the face (README, "Guidance": chosen from real webcam and news-photo faces, dim
   * offices included). Too dark is a face whose mean luma is low *and* whose light shows little
   * detail, or a face much darker than its frame (a window behind the visitor); too bright is a
   * face with a visible share of blown-out pixels.
   */
  minFaceLuma: { enter: 28, leave: 22 } satisfies Band,
  minFaceSpread: { enter: 40, leave: 30 } satisfies Band,
  minFaceToFrame: { enter: 0.45, leave: 0.35 } satisfies Band,
  maxBlown: { enter: 0.06, leave: 0.1 } satisfies Band,
  minSharpness: { enter: 22, leave: 18 } satisfies Band,
  /**
   * Face widths per second: faster is motion, not breathing. Per second, not per frame, so the
   * rule means the same at 5 and 30 guidance frames per second (per frame it tripped on every
   * other frame at 5–7 fps). Frontal frames of the real webcam videos moved a median 0.14–0.22
   * and a p90 0.37–0.69 face widths per second; blur itself is the sharpness rule's.
   */
  maxMovement: { enter: 0.5, leave: 0.8 } satisfies Band,
  /** A new instruction replaces the one on screen only after it has held this long. */
  instructionHoldMs: 500,
  /** The capture window: auto-capture once this long has been compliant for `holdShare` of its frames. */
  holdMs: 800,
  holdShare: 0.8,
  /** Manual capture is offered after this long without a capture. */
  manualAfterMs: 10_000,
} as const;

/**
 * The on-screen oval, in camera pixels around the frame's centre: where a face at the target
 * distance (FACE_RULES' ~90 px between the pupils) sits. A face's mesh box is ~2.2 pupil
 * distances wide and ~2.6 tall; the oval leaves room around it.
 */
export const GUIDE_OVAL = { rx: 1.4 * ipd.target, ry: 1.85 * ipd.target } as const;

/**
 * A seated visitor (the camera mounted low, or a visitor in a wheelchair at a standing-height
 * station's low camera) is seen from below: looking at the screen, their face reads as turned up
 * by several degrees. Human's pitch is positive for a face turned down (app/humanFace.ts reads
 * its `rotation.angle.pitch`, atan2 of the forehead→chin axis' depth), so seen from below is
 * negative: the window's centre moves by SEATED_PITCH_DEG, its far edge never past the service's
 * own 20° (LIVENESS.maxPitchDeg), so nothing the service may refuse is captured.
 */
export const SEATED_PITCH_DEG = -8;
function pitchOutside(pitchDeg: number, showing: boolean, seated: boolean): boolean {
  const centre = seated ? SEATED_PITCH_DEG : 0;
  const reach = showing ? GUIDANCE.maxPitchDeg.enter : GUIDANCE.maxPitchDeg.leave;
  const edge = LIVENESS.maxPitchDeg - (showing ? 2 : 0);
  return pitchDeg < Math.max(centre - reach, -edge) || pitchDeg > Math.min(centre + reach, edge);
}

/** True when `value` is past the band's limit: `leave` while the rule passes, `enter` while its instruction shows. */
const over = (value: number, band: Band, showing: boolean) => value > (showing ? band.enter : band.leave);
const under = (value: number, band: Band, showing: boolean) => value < (showing ? band.enter : band.leave);

/**
 * The single most important thing to tell the visitor now, in priority order. `showing` is the
 * instruction on screen: its own rule is judged by the stricter `enter` limit (hysteresis).
 */
export function nextInstruction(frame: FrameObservation, showing: Instruction | null = null, options: { seated?: boolean } = {}): Instruction {
  const faces = significantFaces(frame.faces, SIGNIFICANT_FACE_RATIO.liveness);
  const face = faces[0];
  if (!face) return 'lookAtCamera';
  if (faces.length > 1) return 'onlyOnePerson';
  const is = (instruction: Instruction) => showing === instruction;
  // Turning the head shortens the pupils' distance on camera (a third at 33° on real footage):
  // a turned face is told to look straight before it is judged for distance.
  if (over(Math.abs(face.yawDeg), GUIDANCE.maxYawDeg, is('lookStraight')) || pitchOutside(face.pitchDeg, is('lookStraight'), options.seated ?? false))
    return 'lookStraight';
  if (under(face.interpupillaryPx, GUIDANCE.minIpd, is('moveCloser')) || face.sizePx < FACE_RULES.minFacePx) return 'moveCloser';
  if (over(face.interpupillaryPx, GUIDANCE.maxIpd, is('moveBack'))) return 'moveBack';
  const cx = (face.box.x + face.box.width / 2) / frame.width - 0.5;
  const cy = (face.box.y + face.box.height / 2) / frame.height - 0.5;
  const fullyInside = face.box.x >= 0 && face.box.y >= 0 && face.box.x + face.box.width <= frame.width && face.box.y + face.box.height <= frame.height;
  if (!fullyInside || over(Math.hypot(cx, cy), GUIDANCE.maxCentreOffset, is('centerFace'))) return 'centerFace';
  if (over(Math.abs(face.rollDeg), GUIDANCE.maxRollDeg, is('keepHeadLevel'))) return 'keepHeadLevel';
  const { light } = frame;
  const dark = is('findMoreLight');
  const dim = under(light.mean, GUIDANCE.minFaceLuma, dark) && under(light.spread, GUIDANCE.minFaceSpread, dark);
  const backlit = under(light.mean / Math.max(1, light.frameMean), GUIDANCE.minFaceToFrame, dark);
  if (dim || backlit) return 'findMoreLight';
  if (over(light.blown, GUIDANCE.maxBlown, is('tooBright'))) return 'tooBright';
  const moving = is('holdStill');
  if (over(frame.movement, GUIDANCE.maxMovement, moving) || under(frame.sharpness, GUIDANCE.minSharpness, moving)) return 'holdStill';
  return 'good';
}

/**
 * What is on screen: a new instruction replaces the shown one only once it has been the answer
 * for `instructionHoldMs`, so a face on an edge does not make the text flicker.
 */
export interface ShownInstruction {
  shown: Instruction | null;
  candidate: Instruction | null;
  candidateSince: number;
}

export function settleInstruction(state: ShownInstruction, latest: Instruction, now: number): ShownInstruction {
  if (state.shown === null) return { shown: latest, candidate: latest, candidateSince: now };
  if (latest === state.shown) return { ...state, candidate: latest, candidateSince: now };
  const since = latest === state.candidate ? state.candidateSince : now;
  return now - since >= GUIDANCE.instructionHoldMs
    ? { shown: latest, candidate: latest, candidateSince: now }
    : { ...state, candidate: latest, candidateSince: since };
}

/**
 * The capture window. Pure state in, state out: the guidance loop feeds it each frame's time,
 * verdict and sharpness, keeps the frame when told it is the new best, and captures that frame
 * when `capture` says so. The hold is the longest stretch back from now that starts on a
 * compliant frame and is compliant in `holdShare` of its frames; capture once it spans `holdMs`.
 * A visitor who moves naturally (a blink, a nod, a frame of blur) is still captured, and one who
 * was turned away is captured `holdMs` after turning back, not twice that.
 */
export interface HoldState {
  /** The frames of the last `holdMs`, and the one before them that may open the stretch. */
  frames: ReadonlyArray<{ t: number; compliant: boolean }>;
  best: { t: number; sharpness: number } | null;
  startedAt: number;
}

export const startHold = (now: number): HoldState => ({ frames: [], best: null, startedAt: now });

export function advanceHold(state: HoldState, frame: { compliant: boolean; sharpness: number }, now: number) {
  const all = [...state.frames, { t: now, compliant: frame.compliant }];
  const firstInside = all.findIndex((f) => now - f.t <= GUIDANCE.holdMs);
  const frames = all.slice(Math.max(0, firstInside - 1));
  let since: number | null = null;
  let good = 0;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i]!.compliant) good += 1;
    if (frames[i]!.compliant && good / (frames.length - i) >= GUIDANCE.holdShare) since = frames[i]!.t;
  }
  // The best frame must belong to the stretch: an older one is not this visitor now.
  const held = since !== null && state.best && state.best.t >= since ? state.best : null;
  const isBest = frame.compliant && since !== null && (!held || frame.sharpness > held.sharpness);
  const best = isBest ? { t: now, sharpness: frame.sharpness } : held;
  const progress = since === null ? 0 : Math.min(1, (now - since) / GUIDANCE.holdMs);
  return {
    state: { frames, best, startedAt: state.startedAt },
    /** 0..1: how far the capture window has filled, for the ring around the oval. */
    progress,
    /** This frame is the sharpest compliant one of the stretch: keep it. */
    isBest,
    capture: progress >= 1 && best !== null,
    manualAllowed: now - state.startedAt >= GUIDANCE.manualAfterMs,
  };
}
