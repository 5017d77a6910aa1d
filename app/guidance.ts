import { distanceRange, faceAsSent } from './captureGeometry';
import { FACE_RULES, SIGNIFICANT_FACE_RATIO, captureRuleBroken, significantFaces, type FaceMetrics } from './faceRules';
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

/** Luma 0..255 over the face (faceLight): light is judged on the face alone, never against the frame. */
export interface FaceLight {
  mean: number;
  /** 95th minus 5th percentile over the face: how much detail the light shows. */
  spread: number;
  /** Share of blown-out face pixels (luma ≥ 250): glare from a lamp or a window. */
  blown: number;
}

/** Rec. 601 luma of one RGB pixel, as a camera's Y channel. */
export const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * The light measures over a face's luma samples: the one definition the kiosk's guidance and the
 * calibration (bench) share.
 */
export function faceLight(samples: ArrayLike<number>): FaceLight {
  const sorted = Float32Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { mean: 0, spread: 0, blown: 0 };
  let sum = 0;
  let blown = 0;
  for (const v of sorted) {
    sum += v;
    if (v >= 250) blown += 1;
  }
  return { mean: sum / n, spread: sorted[Math.floor(0.95 * (n - 1))]! - sorted[Math.floor(0.05 * (n - 1))]!, blown: blown / n };
}

export const INSTRUCTIONS = [
  'lookAtCamera',
  'onlyOnePerson',
  'lookStraight',
  'moveCloser',
  'moveBack',
  'centerFace',
  'keepHeadLevel',
  'openEyes',
  'findMoreLight',
  'tooBright',
  'holdStill',
  'good',
  // Not a frame's judgment: the live step asks for a blink once the photo is chosen (app/blink.ts).
  'blink',
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

/**
 * Guidance thresholds beyond the service's own (FACE_RULES): aim inside them, so a capture the
 * guidance accepts is one the service accepts.
 */
export const GUIDANCE = {
  /**
   * Distance: anywhere in app/captureGeometry.ts distanceRange, with hysteresis at both ends.
   * Guidance measures the pupils on a 640-px downscale: on 228 frontal frames of real webcam
   * footage it read a median 0.0 px off the full frame, −2.0 px at p10 and 5.0 px apart at most.
   * At the far end the arbiter is the full-size re-check of the chosen frame (useGuidance.ts),
   * whose "too far" is shown as "Move closer": guidance itself asks only when the downscale is
   * 2 px past the floor (a visitor standing at 86–88 px, read 84–88, was told "Move closer" on a
   * third of the frames and never held 0.8 s), and clears at the floor. The near end keeps 3 %
   * (4 px at 720p) to ask and 8 % to clear: past it the frame scaled to 90 px is under 480 px high.
   */
  farMarginPx: { enter: 0, leave: -2 } satisfies Band,
  nearMargin: { enter: 0.92, leave: 0.97 } satisfies Band,
  /** The face centre must lie within this fraction of the frame from its centre (the oval): advice only, if the face is whole. */
  maxCentreOffset: { enter: 0.15, leave: 0.2 } satisfies Band,
  /** Stricter than the service's ±23°/±33°: a visitor drifting a little still passes the service. */
  maxYawDeg: { enter: 12, leave: 15 } satisfies Band,
  maxPitchDeg: { enter: 12, leave: 15 } satisfies Band,
  maxRollDeg: { enter: 9, leave: 12 } satisfies Band,
  /**
   * Eyes open (faceRules.ts eyeOpenness, the mesh's eye aspect ratio): a closed-eye capture is of
   * no use to staff or the match. Measured by `npm run bench:range -- --eyes` on the four shared
   * live videos every 0.1 s (893 frames, 2026-12-03): open eyes read ≥ 0.18 on every frame but two
   * single blink frames of apfol (0.10, 0.16); blinkdet's closed eyes (two stretches of 2.5 s)
   * read 0.061–0.117. Asked below 0.13, cleared above 0.16.
   */
  minEyeOpenness: { enter: 0.16, leave: 0.13 } satisfies Band,
  /**
   * Light, on the face alone (never against the frame: a face in a dim office before a bright wall
   * is what the service scores, and it scored such faces live). Advice, never a block: too dark is
   * a face whose mean luma is low *and* whose light shows little detail; too bright, a visible
   * share of blown-out pixels.
   */
  minFaceLuma: { enter: 28, leave: 22 } satisfies Band,
  minFaceSpread: { enter: 40, leave: 30 } satisfies Band,
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
  /**
   * While a soft rule advises, the capture waits this long past a full hold for the visitor to
   * follow the advice, then goes anyway: at most holdMs + adviceWaitMs of advice.
   */
  adviceWaitMs: 800,
  /** Manual capture is offered after this long without a capture. */
  manualAfterMs: 10_000,
} as const;

/**
 * The on-screen oval, in camera pixels around the frame's centre: where a face in the middle of
 * the distance range sits. A face's mesh box is ~2.2 pupil distances wide and ~2.6 tall; the oval
 * leaves room around it.
 */
export function guideOval(frame: { height: number }) {
  const { minIpd, maxIpd } = distanceRange(frame);
  const middle = (minIpd + maxIpd) / 2;
  return { rx: 1.4 * middle, ry: 1.85 * middle };
}

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
 * The single most important thing to tell the visitor now, in priority order, and whether it
 * blocks the capture. `showing` is the instruction on screen: its own rule is judged by the
 * stricter `enter` limit (hysteresis).
 *
 * Hard rules block: what the API document requires of the image sent (one face, the angles, the
 * distance range that main's scaling turns into ~90 px between the pupils, the whole face in view)
 * and open eyes. Soft rules only advise (`blocking: false`): an off-centre face, light, sharpness
 * and motion make a capture worse, not one the service refuses, so once the hard rules have held
 * for the hold the kiosk captures anyway after GUIDANCE.adviceWaitMs more and lets the service decide.
 */
export function judgeFrame(
  frame: FrameObservation,
  showing: Instruction | null = null,
  options: { seated?: boolean } = {},
): { instruction: Instruction; blocking: boolean } {
  const hard = (instruction: Instruction) => ({ instruction, blocking: true });
  const advice = (instruction: Instruction) => ({ instruction, blocking: false });
  const faces = significantFaces(frame.faces, SIGNIFICANT_FACE_RATIO.liveness);
  const face = faces[0];
  if (!face) return hard('lookAtCamera');
  if (faces.length > 1) return hard('onlyOnePerson');
  const is = (instruction: Instruction) => showing === instruction;
  // Turning the head shortens the pupils' distance on camera (a third at 33° on real footage):
  // a turned face is told to look straight before it is judged for distance.
  if (over(Math.abs(face.yawDeg), GUIDANCE.maxYawDeg, is('lookStraight')) || pitchOutside(face.pitchDeg, is('lookStraight'), options.seated ?? false))
    return hard('lookStraight');
  const range = distanceRange(frame);
  const far = { enter: range.minIpd + GUIDANCE.farMarginPx.enter, leave: range.minIpd + GUIDANCE.farMarginPx.leave };
  const near = { enter: range.maxIpd * GUIDANCE.nearMargin.enter, leave: range.maxIpd * GUIDANCE.nearMargin.leave };
  if (under(face.interpupillaryPx, far, is('moveCloser')) || faceAsSent(frame, face).face.sizePx < FACE_RULES.minFacePx) return hard('moveCloser');
  if (over(face.interpupillaryPx, near, is('moveBack'))) return hard('moveBack');
  const fullyInside = face.box.x >= 0 && face.box.y >= 0 && face.box.x + face.box.width <= frame.width && face.box.y + face.box.height <= frame.height;
  if (!fullyInside) return hard('centerFace');
  if (over(Math.abs(face.rollDeg), GUIDANCE.maxRollDeg, is('keepHeadLevel'))) return hard('keepHeadLevel');
  if (face.eyeOpenness !== undefined && under(face.eyeOpenness, GUIDANCE.minEyeOpenness, is('openEyes'))) return hard('openEyes');
  const cx = (face.box.x + face.box.width / 2) / frame.width - 0.5;
  const cy = (face.box.y + face.box.height / 2) / frame.height - 0.5;
  if (over(Math.hypot(cx, cy), GUIDANCE.maxCentreOffset, is('centerFace'))) return advice('centerFace');
  const { light } = frame;
  const dark = is('findMoreLight');
  if (under(light.mean, GUIDANCE.minFaceLuma, dark) && under(light.spread, GUIDANCE.minFaceSpread, dark)) return advice('findMoreLight');
  if (over(light.blown, GUIDANCE.maxBlown, is('tooBright'))) return advice('tooBright');
  const moving = is('holdStill');
  if (over(frame.movement, GUIDANCE.maxMovement, moving) || under(frame.sharpness, GUIDANCE.minSharpness, moving)) return advice('holdStill');
  return advice('good');
}

/** judgeFrame's instruction alone. */
export const nextInstruction = (...args: Parameters<typeof judgeFrame>): Instruction => judgeFrame(...args).instruction;

/**
 * The last word on the frame guidance chose, measured again at full size as main will scale it
 * (pupils to 90 px): null when it may be sent, else why not (a service code such as
 * FACE_TOO_SMALL, `height` when the scaled frame would be under 480 px, `eyes` when they are
 * closed) and, when the visitor can put it right, what to tell them.
 */
export function captureRefusal(frame: { height: number }, face: FaceMetrics | undefined): { reason: string; instruction: Instruction | null } | null {
  if (!face) return { reason: 'FACE_NOT_FOUND', instruction: null };
  const sent = faceAsSent(frame, face);
  const broken = captureRuleBroken(sent.face);
  // Guidance's own far edge is 2 px lenient (GUIDANCE.farMarginPx): too far at full size is said at once.
  if (broken) return { reason: broken.code, instruction: face.interpupillaryPx < distanceRange(frame).minIpd ? 'moveCloser' : null };
  if (sent.height < LIVENESS.minHeight) return { reason: 'height', instruction: 'moveBack' };
  if ((face.eyeOpenness ?? 1) < GUIDANCE.minEyeOpenness.leave) return { reason: 'eyes', instruction: 'openEyes' };
  return null;
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
 * compliant frame (every hard rule met) and is compliant in `holdShare` of its frames; capture once
 * it spans `holdMs`, or, while a soft rule advises, `adviceWaitMs` after that. A visitor who moves
 * naturally (a blink, a nod, a frame of blur) is still captured, and one who was turned away is
 * captured `holdMs` after turning back, not twice that.
 */
export interface HoldState {
  /** The frames of the last `holdMs`, and the one before them that may open the stretch. */
  frames: ReadonlyArray<{ t: number; compliant: boolean }>;
  best: { t: number; sharpness: number } | null;
  /** When the hold last became full, while it stays full: advice waits from here. */
  fullSince: number | null;
  startedAt: number;
}

export const startHold = (now: number): HoldState => ({ frames: [], best: null, fullSince: null, startedAt: now });

export function advanceHold(state: HoldState, frame: { compliant: boolean; advised?: boolean; sharpness: number }, now: number) {
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
  const fullSince = progress >= 1 ? (state.fullSince ?? now) : null;
  const advised = frame.advised ?? false;
  return {
    state: { frames, best, fullSince, startedAt: state.startedAt },
    /** 0..1: how far the capture window has filled, for the ring around the oval. */
    progress,
    /** This frame is the sharpest compliant one of the stretch: keep it. */
    isBest,
    capture: fullSince !== null && best !== null && (!advised || now - fullSince >= GUIDANCE.adviceWaitMs),
    manualAllowed: now - state.startedAt >= GUIDANCE.manualAfterMs,
  };
}
