import type { Config, Human, Point } from '@vladmandic/human';
import sharp from 'sharp';
import { SIGNIFICANT_FACE_RATIO, livenessRejection, type FaceMetrics, type FaceRejection } from '../../app/faceRules';
import { ANALYSIS_MAX_SIDE, letterboxSide, scaleMetrics, toFaceMetrics } from '../../app/humanFace';
import { INPUT_LIMITS } from '../../app/imageRequirements';
import type { RgbImage } from './antispoof';

export interface AnalyzedFace extends FaceMetrics {
  embedding: number[] | null;
  /** The face mesh's landmarks in the image's pixels, when asked for (`withMesh`: the flatness bench). */
  mesh?: Array<readonly [number, number]>;
}

export interface Analysis {
  /** The image's own size (EXIF-rotated), in which every measurement is given. */
  width: number;
  height: number;
  faces: AnalyzedFace[];
  /** The liveness evidence for the largest face, 0..1; null unless asked for and due. */
  live: number | null;
  /** For a liveness analysis, the first of the service's face rules the picture breaks (null: none, or not asked). */
  rejection: FaceRejection | null;
  /** Where the worker's time went, in ms (bench:timeline reads it; the server never sends it). */
  timings: AnalysisTimings;
}

export interface AnalysisTimings {
  decode: number;
  /** Human: detector, mesh and (for liveness) iris, including a retry on a padded picture. */
  detect: number;
  /** dlib's descriptor, every face described. */
  describe: number;
  /** MiniFASNet on the largest face. */
  antispoof: number;
}

/** The picture could not be decoded: not an image, truncated, or over the pixel limit. */
export class ImageDecodeError extends Error {}

/**
 * How a liveness picture's largest face is scored. By default only a picture the service's face
 * rules accept is scored (any other is refused without a score, so its cost is saved); `due`
 * overrides that (the eval scores every face). `face` is in the pixels of `image`, the decoded
 * picture. Without `score` the analysis only judges the rules (the benchmark's stock baseline).
 */
export interface LivenessCheck {
  due?: (faces: readonly AnalyzedFace[]) => boolean;
  score?: (image: RgbImage, face: FaceMetrics['box']) => Promise<number>;
}

/** How a match picture's faces are described: from the decoded picture and the face's mesh, in its pixels. */
export type Describe = (image: RgbImage, mesh: readonly Point[]) => Promise<number[]>;

/**
 * Tight crops (e.g. 150×150 passport-style, LFW's aligned 250×250) leave the detector no context:
 * retry with this margin, then, on the padded picture, with the detector's threshold lowered.
 */
const RETRY_PAD_FRACTION = 0.4;
const RETRY_MIN_CONFIDENCE = 0.2;

interface Decoded {
  data: Buffer;
  info: { width: number; height: number; channels: number };
  /** Margin added around the image on every side; results are shifted back by it. */
  offset: number;
}

/**
 * Decodes at most `maxSide` pixels on the long side: the detector looks at 256 px and the mesh at
 * 192 px crops, so a 1080p frame analysed at 720p measures the same face with a third of the
 * memory and time. Measurements are scaled back to the image's own pixels.
 */
async function decode(bytes: Uint8Array, maxSide: number): Promise<Decoded & { scale: number; width: number; height: number }> {
  const image = sharp(bytes, { limitInputPixels: INPUT_LIMITS.maxPixels });
  let decoded;
  try {
    const { autoOrient } = await image.metadata();
    decoded = {
      autoOrient,
      ...(await image
        .rotate()
        .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })),
    };
  } catch (error) {
    throw new ImageDecodeError(error instanceof Error ? error.message : String(error));
  }
  const { autoOrient, data, info } = decoded;
  return { data, info, offset: 0, scale: autoOrient.width / info.width, width: autoOrient.width, height: autoOrient.height };
}

async function padded(image: Decoded, fraction: number): Promise<Decoded> {
  const pad = Math.round(Math.max(image.info.width, image.info.height) * fraction);
  const { data, info } = await sharp(image.data, { raw: { width: image.info.width, height: image.info.height, channels: 3 } })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info, offset: pad };
}

/** Decodes (EXIF-rotated), runs Human once with the given config, and reports faces in image pixels. */
export async function analyze(
  human: Human,
  config: Partial<Config>,
  bytes: Uint8Array,
  options: { retryIfNoFace?: boolean; maxSide?: number; liveness?: LivenessCheck; describe?: Describe; withMesh?: boolean } = {},
): Promise<Analysis> {
  const timings: AnalysisTimings = { decode: 0, detect: 0, describe: 0, antispoof: 0 };
  let lap = performance.now();
  const took = (stage: keyof AnalysisTimings) => {
    const at = performance.now();
    timings[stage] += at - lap;
    lap = at;
  };
  const source = await decode(bytes, options.maxSide ?? ANALYSIS_MAX_SIDE);
  took('decode');
  let decoded: Decoded = source;
  let result = await detect(human, config, decoded);
  if (result.face.length === 0 && options.retryIfNoFace) {
    decoded = await padded(decoded, RETRY_PAD_FRACTION);
    result = await detect(human, config, decoded);
    if (result.face.length === 0)
      result = await detect(
        human,
        { ...config, face: { ...config.face, detector: { ...config.face?.detector, minConfidence: RETRY_MIN_CONFIDENCE } } },
        decoded,
      );
  }
  took('detect');
  const k = source.scale;
  const image: RgbImage = { data: decoded.data, width: decoded.info.width, height: decoded.info.height };
  const measured = result.face.map((face) => ({ face, m: toFaceMetrics(face, decoded.offset) }));
  // Only a face of similar size to the largest can be the one matched (imageGates.ts): the others are not described.
  const widest = Math.max(0, ...measured.map(({ m }) => m.box.width));
  const faces: AnalyzedFace[] = [];
  for (const { face, m } of measured) {
    const describable = options.describe && face.mesh.length > 0 && m.box.width >= widest * SIGNIFICANT_FACE_RATIO.match;
    faces.push({
      ...scaleMetrics(m, k),
      embedding: describable ? await options.describe!(image, face.mesh) : face.embedding?.length ? Array.from(face.embedding) : null,
      ...(options.withMesh ? { mesh: face.mesh.map(([x, y]) => [(x - decoded.offset) * k, (y - decoded.offset) * k] as const) } : {}),
    });
  }
  took('describe');
  faces.sort((a, b) => b.box.width - a.box.width);
  const largest = faces[0];
  const check = options.liveness;
  const rejection = check ? livenessRejection(faces) : null;
  let live: number | null = null;
  if (check?.score && largest && (check.due ? check.due(faces) : rejection === null)) {
    const box = { x: largest.box.x / k + decoded.offset, y: largest.box.y / k + decoded.offset, width: largest.box.width / k, height: largest.box.height / k };
    live = await check.score(image, box);
    took('antispoof');
  }
  return { width: source.width, height: source.height, faces, live, rejection, timings };
}

/** Detection on the picture letterboxed to a square (humanFace.ts); the picture itself stays as decoded for the other models. */
async function detect(human: Human, config: Partial<Config>, decoded: Decoded) {
  const { data, info } = decoded;
  const side = letterboxSide(info.width, info.height);
  const square = human.tf.tidy(() =>
    human.tf.pad(human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), [info.height, info.width, 3], 'int32'), [
      [0, side - info.height],
      [0, side - info.width],
      [0, 0],
    ]),
  );
  try {
    return await human.detect(square, config);
  } finally {
    human.tf.dispose(square);
  }
}
