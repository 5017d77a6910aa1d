import type { Config, Human, ObjectResult } from '@vladmandic/human';
import sharp from 'sharp';
import type { FaceMetrics } from '../../app/faceRules';
import { toFaceMetrics } from '../../app/humanFace';
import { INPUT_LIMITS } from '../../app/imageRequirements';

export interface AnalyzedFace extends FaceMetrics {
  embedding: number[] | null;
  /** Human's anti-spoofing and liveness model outputs, when those models are on (measured only). */
  real: number | null;
  live: number | null;
}

export interface DetectedObject {
  label: string;
  score: number;
  box: FaceMetrics['box'];
}

export interface Analysis {
  width: number;
  height: number;
  faces: AnalyzedFace[];
  objects: DetectedObject[];
  /** Mean luma 0..255 and its standard deviation over the whole frame. */
  brightness: number;
  contrast: number;
}

/** Tight crops (e.g. 150×150 passport-style) leave the detector no context: retry with this margin. */
const RETRY_PAD_FRACTION = 0.4;

interface Decoded {
  data: Buffer;
  info: { width: number; height: number; channels: number };
  /** Margin added around the image on every side; results are shifted back by it. */
  offset: number;
}

async function decode(bytes: Uint8Array): Promise<Decoded> {
  const { data, info } = await sharp(bytes, { limitInputPixels: INPUT_LIMITS.maxPixels })
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info, offset: 0 };
}

async function padded(image: Decoded, fraction: number): Promise<Decoded> {
  const pad = Math.round(Math.max(image.info.width, image.info.height) * fraction);
  const { data, info } = await sharp(image.data, { raw: { width: image.info.width, height: image.info.height, channels: 3 } })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info, offset: pad };
}

function lumaStats(data: Buffer, channels: number) {
  let sum = 0;
  let sumSq = 0;
  const step = channels * 7; // every 7th pixel is plenty for a frame-wide mean
  let n = 0;
  for (let i = 0; i + 2 < data.length; i += step) {
    const y = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    sum += y;
    sumSq += y * y;
    n += 1;
  }
  const mean = sum / Math.max(1, n);
  return { brightness: mean, contrast: Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean)) };
}

/** Decodes (EXIF-rotated), runs Human once with the given config, and reports faces in image pixels. */
export async function analyze(human: Human, config: Partial<Config>, bytes: Uint8Array, options: { padIfNoFace?: boolean } = {}): Promise<Analysis> {
  let decoded = await decode(bytes);
  let result = await detect(human, config, decoded);
  if (result.face.length === 0 && options.padIfNoFace) {
    decoded = await padded(decoded, RETRY_PAD_FRACTION);
    result = await detect(human, config, decoded);
  }
  const { offset, info } = decoded;
  const faces = result.face.map((face) => ({
    ...toFaceMetrics(face, offset),
    embedding: face.embedding && face.embedding.length > 0 ? Array.from(face.embedding) : null,
    real: face.real ?? null,
    live: face.live ?? null,
  }));
  const objects = result.object.map((o: ObjectResult) => ({
    label: o.label,
    score: o.score,
    box: { x: o.box[0] - offset, y: o.box[1] - offset, width: o.box[2], height: o.box[3] },
  }));
  return {
    width: info.width - 2 * offset,
    height: info.height - 2 * offset,
    faces: faces.sort((a, b) => b.box.width - a.box.width),
    objects,
    ...lumaStats(decoded.data, info.channels),
  };
}

async function detect(human: Human, config: Partial<Config>, decoded: Decoded) {
  const { data, info } = decoded;
  const tensor = human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), [info.height, info.width, 3], 'int32');
  try {
    return await human.detect(tensor, config);
  } finally {
    human.tf.dispose(tensor);
  }
}
