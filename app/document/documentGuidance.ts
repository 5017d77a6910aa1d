/**
 * Guidance for the ID document held up to the ID camera, as a pure step: each sighting main
 * reports (findDocument.ts) becomes one instruction, and a steady, flat, glare-free, close-enough
 * card held for HOLD_MS is captured. Same shape as the face's guidance (app/guidance.ts): state in,
 * state and instruction out, no clock of its own.
 */
import type { DocumentSighting } from './findDocument';

export type DocumentInstruction = 'show' | 'closer' | 'wholeCard' | 'flatter' | 'glare' | 'still' | 'hold';

/** Where each rule draws its line (guidance frames are ≤ 640 px on their long side). */
export const DOCUMENT_RULES = {
  /**
   * The card's long side in the camera's own pixels below which it is too far: a portrait takes
   * ~26 % of an ID-1 card's or a passport page's width and the face ~70 % of the portrait, so
   * 820 px gives the match endpoint its 150-px face (≈ 14 cm from a 1080p webcam, 9 cm at 720p).
   */
  minCardPx: 820,
  /** Opposite sides differing more than this: the card is turned away. */
  maxTilt: 0.18,
  /** Share of the card blown to white. */
  maxGlare: 0.004,
  /** Corner movement between two sightings, as a share of the card's diagonal. */
  maxMotion: 0.02,
  /** How long a good card must be held before it is captured. */
  holdMs: 700,
} as const;

export type DocumentGuidanceState = {
  /** The last sighting's corners, to measure motion. */
  last: DocumentSighting | null;
  /** Since when the card has been good without a break; null when it is not. */
  goodSince: number | null;
};

export const startDocumentGuidance = (): DocumentGuidanceState => ({ last: null, goodSince: null });

function motion(a: DocumentSighting, b: DocumentSighting): number {
  const diagonal = Math.hypot(b.quad[2].x - b.quad[0].x, b.quad[2].y - b.quad[0].y) || 1;
  return Math.max(...a.quad.map((p, i) => Math.hypot(p.x - b.quad[i]!.x, p.y - b.quad[i]!.y))) / diagonal;
}

/** What the card needs next; `hold` when nothing does. */
/** The card's long side: the longest of its four edges. */
const longSide = (s: DocumentSighting) => Math.max(...s.quad.map((p, i) => Math.hypot(p.x - s.quad[(i + 1) % 4]!.x, p.y - s.quad[(i + 1) % 4]!.y)));

/**
 * What the card needs next; `hold` when nothing does. `scale`: the camera's full resolution over
 * the guidance frame's, since the portrait is cut from the full-resolution picture.
 */
export function documentInstruction(sighting: DocumentSighting | null, last: DocumentSighting | null, scale = 1): DocumentInstruction {
  if (!sighting) return 'show';
  if (sighting.touchesEdge) return 'wholeCard';
  if (longSide(sighting) * scale < DOCUMENT_RULES.minCardPx) return 'closer';
  if (sighting.tilt > DOCUMENT_RULES.maxTilt) return 'flatter';
  if (sighting.glare > DOCUMENT_RULES.maxGlare) return 'glare';
  if (last && motion(sighting, last) > DOCUMENT_RULES.maxMotion) return 'still';
  return 'hold';
}

/** One sighting at time `at` (ms): the instruction, and `capture` once the card has been good for holdMs. */
export function documentGuidanceStep(
  state: DocumentGuidanceState,
  sighting: DocumentSighting | null,
  at: number,
  scale = 1,
): { state: DocumentGuidanceState; instruction: DocumentInstruction; capture: boolean } {
  const instruction = documentInstruction(sighting, state.last, scale);
  const goodSince = instruction === 'hold' ? (state.goodSince ?? at) : null;
  return {
    state: { last: sighting, goodSince },
    instruction,
    capture: goodSince !== null && at - goodSince >= DOCUMENT_RULES.holdMs,
  };
}
