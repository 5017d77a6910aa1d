import type { FaceMetrics } from '../../../app/faceRules';

const SAMPLE = 96;
const sampler = new OffscreenCanvas(SAMPLE, SAMPLE);
const context = sampler.getContext('2d', { willReadFrequently: true })!;

/**
 * Brightness (mean luma), sharpness (variance of a Laplacian) and glare over the face, on a 96×96
 * sample: enough to tell a dark room or a blurred frame, cheap enough for every frame.
 */
export function faceStats(
  source: CanvasImageSource,
  size: { width: number; height: number },
  face: FaceMetrics | undefined,
): { brightness: number; sharpness: number; glare: number } {
  const box = face?.box ?? { x: 0, y: 0, width: size.width, height: size.height };
  context.drawImage(source, box.x, box.y, box.width, box.height, 0, 0, SAMPLE, SAMPLE);
  const { data } = context.getImageData(0, 0, SAMPLE, SAMPLE);
  const luma = new Float32Array(SAMPLE * SAMPLE);
  let sum = 0;
  let blown = 0;
  for (let i = 0; i < luma.length; i++) {
    luma[i] = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
    sum += luma[i]!;
    if (luma[i]! >= 250) blown += 1;
  }
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < SAMPLE - 1; y++) {
    for (let x = 1; x < SAMPLE - 1; x++) {
      const i = y * SAMPLE + x;
      const lap = 4 * luma[i]! - luma[i - 1]! - luma[i + 1]! - luma[i - SAMPLE]! - luma[i + SAMPLE]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = lapSum / n;
  // glare: the share of blown-out pixels (a laminate's reflection over the portrait).
  return { brightness: sum / luma.length, sharpness: lapSq / n - lapMean * lapMean, glare: blown / luma.length };
}

/** Movement of the face centre between frames, in face widths. */
export function movement(previous: FaceMetrics | undefined, current: FaceMetrics | undefined): number {
  if (!previous || !current) return 0;
  const dx = current.box.x + current.box.width / 2 - (previous.box.x + previous.box.width / 2);
  const dy = current.box.y + current.box.height / 2 - (previous.box.y + previous.box.height / 2);
  return Math.hypot(dx, dy) / Math.max(1, current.box.width);
}
