import type { FaceMetrics } from '../../../app/faceRules';
import { faceLight, luma, type FaceLight } from '../../../app/guidance';
import { lumaSample, type FramePixels } from './framePixels';

const SAMPLE = 96;
const sampler = new OffscreenCanvas(SAMPLE, SAMPLE);
const context = sampler.getContext('2d', { willReadFrequently: true })!;

function lumaOf(data: Uint8ClampedArray): Float32Array {
  const out = new Float32Array(data.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = luma(data[i * 4]!, data[i * 4 + 1]!, data[i * 4 + 2]!);
  return out;
}

/**
 * Light (app/guidance.ts faceLight) and sharpness (variance of a Laplacian) over the face, on a
 * 96×96 sample: enough to tell a face in the dark, in glare or blurred, cheap enough for every
 * frame. Light is the face's alone; the rest of the frame is not the service's business.
 */
function statsOf(values: Float32Array): { light: FaceLight; sharpness: number } {
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < SAMPLE - 1; y++) {
    for (let x = 1; x < SAMPLE - 1; x++) {
      const i = y * SAMPLE + x;
      const lap = 4 * values[i]! - values[i - 1]! - values[i + 1]! - values[i - SAMPLE]! - values[i + SAMPLE]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = lapSum / n;
  return { light: faceLight(values), sharpness: lapSq / n - lapMean * lapMean };
}

/** faceStats of a picture on a canvas (the ID photo), sampled by the canvas. */
export function faceStats(
  source: CanvasImageSource,
  size: { width: number; height: number },
  face: FaceMetrics | undefined,
): { light: FaceLight; sharpness: number } {
  const box = face?.box ?? { x: 0, y: 0, width: size.width, height: size.height };
  context.drawImage(source, box.x, box.y, box.width, box.height, 0, 0, SAMPLE, SAMPLE);
  return statsOf(lumaOf(context.getImageData(0, 0, SAMPLE, SAMPLE).data));
}

/** faceStats of a camera frame's own planes (cameraFrame.ts), with no conversion of the whole frame. */
export function frameFaceStats(frame: FramePixels, face: FaceMetrics | undefined): { light: FaceLight; sharpness: number } {
  return statsOf(lumaSample(frame, face?.box ?? { x: 0, y: 0, width: frame.width, height: frame.height }, SAMPLE));
}

/** Speed of the face centre between two frames `seconds` apart, in face widths per second. */
export function movement(previous: FaceMetrics | undefined, current: FaceMetrics | undefined, seconds: number): number {
  if (!previous || !current || seconds <= 0) return 0;
  const dx = current.box.x + current.box.width / 2 - (previous.box.x + previous.box.width / 2);
  const dy = current.box.y + current.box.height / 2 - (previous.box.y + previous.box.height / 2);
  return Math.hypot(dx, dy) / Math.max(1, current.box.width) / seconds;
}
