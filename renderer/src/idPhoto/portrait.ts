import { grabFrame } from '../services/camera';
import { detectFaces } from '../services/detector';
import { faceStats } from '../guidance/frameStats';

/** What the ID portrait must be to match well: the match endpoint's 150 px floor, and sharp. */
export const PORTRAIT_RULES = { minFacePx: 150, minSharpness: 12, maxGlare: 0.04, margin: 0.5 } as const;

/**
 * The portrait is looked for with the picture at most 640 px on its long side, without the iris
 * model: only the face's box is used (measured back in the picture's own pixels), and Human's
 * detector and mesh look at the face at 256 and 192 px whatever the input's size. Half the time
 * of the full-size, full-model search, which ran while main reads the MRZ.
 */
const PORTRAIT_SEARCH = { maxSide: 640, iris: false } as const;

export type PortraitResult = { ok: true; bytes: Uint8Array<ArrayBuffer>; preview: Blob } | { ok: false; reason: 'noFace' | 'tooSmall' | 'blurry' | 'glare' };

/** Finds the portrait on a photographed or imported ID, checks it, and crops it with margin. */
export async function extractPortrait(source: HTMLVideoElement | ImageBitmap): Promise<PortraitResult> {
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(source, 0, 0);
  // The largest face is the portrait; a small ghost image on the card is ignored.
  const face = (await detectFaces(canvas, width, height, PORTRAIT_SEARCH))[0];
  if (!face) return { ok: false, reason: 'noFace' };
  if (face.sizePx < PORTRAIT_RULES.minFacePx) return { ok: false, reason: 'tooSmall' };
  const stats = faceStats(canvas, { width, height }, face);
  if (stats.light.blown > PORTRAIT_RULES.maxGlare) return { ok: false, reason: 'glare' };
  if (stats.sharpness < PORTRAIT_RULES.minSharpness) return { ok: false, reason: 'blurry' };
  const m = PORTRAIT_RULES.margin;
  const x = Math.max(0, face.box.x - m * face.box.width);
  const y = Math.max(0, face.box.y - m * face.box.height);
  const w = Math.min(width - x, face.box.width * (1 + 2 * m));
  const h = Math.min(height - y, face.box.height * (1 + 2 * m));
  const bytes = await grabFrame(canvas, { x, y, width: w, height: h });
  // The Blob is a copy: the bytes are zeroed once sent to main, the preview lives until reset.
  return { ok: true, bytes, preview: new Blob([bytes], { type: 'image/jpeg' }) };
}
