/**
 * Evidence that a face is shown on a screen or a print held up to the camera: a frame (a phone's
 * bezel, a tablet's edge, a sheet's border) whose straight edges enclose the face closely on both
 * sides and above or below. Live faces have backgrounds, not frames cut to the size of a head.
 */
import sharp from 'sharp';
import type { FaceMetrics } from '../../app/faceRules';

export interface FrameEvidence {
  /** 0..1: how completely straight edges enclose the face (left, right, top or bottom). */
  score: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Sobel magnitudes of a greyscale image along x and y. */
async function gradients(grey: Buffer, width: number, height: number) {
  const run = (kernel: number[]) =>
    sharp(grey, { raw: { width, height, channels: 1 } })
      .convolve({ width: 3, height: 3, kernel, scale: 1, offset: 128 })
      .raw()
      .toBuffer();
  const [gx, gy] = await Promise.all([run([-1, 0, 1, -2, 0, 2, -1, 0, 1]), run([-1, -2, -1, 0, 0, 0, 1, 2, 1])]);
  return { gx, gy };
}

/**
 * The best straight-line coverage among the lines parallel to one side of the face, in a band
 * between `near` and `far` face-widths from its edge: the fraction of the span where the gradient
 * across the line is strong (within ±1 px). A frame edge scores near 1; texture and hair score low.
 */
function bestLine(
  g: Buffer,
  width: number,
  height: number,
  axis: 'vertical' | 'horizontal',
  positions: [number, number],
  span: [number, number],
  threshold: number,
): number {
  let best = 0;
  const [from, to] = [Math.max(1, Math.round(Math.min(...positions))), Math.round(Math.max(...positions))];
  const limit = axis === 'vertical' ? width - 2 : height - 2;
  const [s0, s1] = [Math.max(0, Math.round(span[0])), Math.min((axis === 'vertical' ? height : width) - 1, Math.round(span[1]))];
  if (s1 - s0 < 10) return 0;
  for (let p = from; p <= Math.min(to, limit); p += 1) {
    let hits = 0;
    for (let s = s0; s <= s1; s += 1) {
      let strongest = 0;
      for (let d = -1; d <= 1; d += 1) {
        const idx = axis === 'vertical' ? s * width + (p + d) : (p + d) * width + s;
        strongest = Math.max(strongest, Math.abs(g[idx]! - 128));
      }
      if (strongest >= threshold) hits += 1;
    }
    best = Math.max(best, hits / (s1 - s0 + 1));
  }
  return best;
}

export async function frameEvidence(bytes: Uint8Array, face: FaceMetrics['box']): Promise<FrameEvidence> {
  const { data, info } = await sharp(bytes).rotate().greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const { gx, gy } = await gradients(data, width, height);
  // Sobel response (stored offset by 128, clipped to 0..255) above which a pixel is an edge;
  // a bezel against a dim room is a soft edge, so the bar is low.
  const threshold = 25;
  const w = face.width;
  const h = face.height;
  // A phone held up shows some margin around the head: look 0.15..1.2 face-widths out.
  const near = 0.15;
  const far = 1.2;
  const vSpan: [number, number] = [face.y, face.y + h];
  const hSpan: [number, number] = [face.x, face.x + w];
  const left = bestLine(gx, width, height, 'vertical', [face.x - far * w, face.x - near * w], vSpan, threshold);
  const right = bestLine(gx, width, height, 'vertical', [face.x + w + near * w, face.x + w + far * w], vSpan, threshold);
  const top = bestLine(gy, width, height, 'horizontal', [face.y - far * h, face.y - near * h], hSpan, threshold);
  const bottom = bestLine(gy, width, height, 'horizontal', [face.y + h + near * h, face.y + h + far * h], hSpan, threshold);
  // Both sides must be framed, and at least one of top/bottom: a frame, not a door post.
  const score = Math.min(left, right, Math.max(top, bottom));
  return { score, left, right, top, bottom };
}
