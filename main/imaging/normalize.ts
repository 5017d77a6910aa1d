import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { KioskError } from '../../app/errors';
import { captureScale } from '../../app/captureGeometry';
import { INPUT_LIMITS, LIVENESS, MATCH } from '../../app/imageRequirements';
import type { RawFrame } from '../../app/contract';

export interface NormalizedImage {
  bytes: Buffer;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/** Formats a camera, scanner or phone may produce. GIF and SVG are refused: not photos, and SVG can reference files. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif']);
const JPEG_QUALITIES = [92, 85, 75, 65, 50];

interface Probed {
  metadata: Metadata;
  /** Dimensions after applying EXIF orientation. */
  width: number;
  height: number;
  needsRotation: boolean;
}

function decoder(input: Uint8Array) {
  // failOn 'warning' treats truncated files as errors; the pixel limit stops decompression bombs.
  return sharp(input, { limitInputPixels: INPUT_LIMITS.maxPixels, failOn: 'warning' });
}

async function probe(input: Uint8Array): Promise<Probed> {
  if (input.byteLength === 0) throw new KioskError('image_invalid', 'The image file is empty (0 bytes).');
  if (input.byteLength > INPUT_LIMITS.maxBytes) {
    throw new KioskError(
      'image_too_large',
      `The image is ${(input.byteLength / 1048576).toFixed(1)} MB; at most ${INPUT_LIMITS.maxBytes / 1048576} MB is accepted.`,
    );
  }
  let metadata: Metadata;
  try {
    metadata = await decoder(input).metadata();
  } catch (error) {
    throw new KioskError('image_invalid', 'The file is not an image the kiosk can read.', { cause: error });
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new KioskError('image_invalid', `Images in ${metadata.format ?? 'this'} format are not accepted; use JPEG or PNG.`);
  }
  if ((metadata.pages ?? 1) > 1) {
    throw new KioskError('image_invalid', 'Animated or multi-page images are not accepted; use a single photo.');
  }
  if (metadata.width * metadata.height > INPUT_LIMITS.maxPixels) {
    throw new KioskError('image_invalid', `The image has more than ${INPUT_LIMITS.maxPixels / 1e6} megapixels.`);
  }
  const { width, height } = metadata.autoOrient;
  checkShape(width, height);
  return { metadata, width, height, needsRotation: (metadata.orientation ?? 1) !== 1 };
}

function checkShape(width: number, height: number): void {
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (aspect > INPUT_LIMITS.maxAspectRatio) {
    throw new KioskError('image_invalid', `The image is ${width}×${height}, too narrow to be a photo of a face.`);
  }
}

async function encode(run: () => Promise<{ data: Buffer; info: OutputInfo }>) {
  try {
    return await run();
  } catch (error) {
    // Headers can be intact while the pixel data is cut short: that only shows when decoding.
    throw new KioskError('image_invalid', 'The image is damaged or incomplete.', { cause: error });
  }
}

/**
 * Liveness wants a PNG at least 480 px high with the pupils ~90 px apart. Given the pupils' distance
 * the kiosk measured on this frame, the frame is scaled so they are CAPTURE_IPD apart (never up:
 * app/captureGeometry.ts), so what the service receives sits in the middle of its window wherever
 * the visitor stood; without it (an imported capture) only a frame taller than 1080 is scaled.
 * Never below 480 px: a face too close for that (a manual capture; auto-capture never sends one)
 * goes at 480 px, its pupils still too far apart, and the service's FACE_TOO_LARGE asks the
 * visitor to step back. A frame under 480 px is refused, never upscaled.
 */
export async function normalizeForLiveness(input: Uint8Array, measured: { interpupillaryPx?: number | undefined } = {}): Promise<NormalizedImage> {
  const pixels = await livenessPixels(input, measured);
  return encodePng(pixels).finally(() => pixels.data.fill(0));
}

/**
 * A live capture for both calls at once: decoded (a raw frame: taken as it is) and scaled once,
 * then the liveness PNG and the match image encoded side by side from the same pixels (sharp runs
 * each on its own thread). The same bytes as normalizeForMatch(normalizeForLiveness(input)) — the
 * PNG is lossless — without decoding that PNG again (bench:timeline, "normalise").
 */
export async function normalizeLiveCapture(
  input: Uint8Array | RawFrame,
  measured: { interpupillaryPx?: number | undefined } = {},
): Promise<{ forLiveness: NormalizedImage; forMatch: NormalizedImage }> {
  const pixels = await livenessPixels(input, measured);
  try {
    const liveness = encodePng(pixels);
    if (pixels.info.width <= MATCH.maxWidth && pixels.info.height <= MATCH.maxHeight) {
      // Within the match's limits the PNG itself goes, as normalizeForMatch would send it.
      const png = await liveness;
      if (png.bytes.byteLength <= MATCH.maxBytes) return { forLiveness: png, forMatch: { ...png, bytes: Buffer.from(png.bytes) } };
    }
    const [forLiveness, forMatch] = await Promise.all([liveness, encodeJpegForMatch(rawImage(pixels))]);
    return { forLiveness, forMatch };
  } finally {
    pixels.data.fill(0);
  }
}

interface Pixels {
  data: Buffer;
  info: OutputInfo;
}

/** The frame as the liveness call gets it, upright and scaled (see normalizeForLiveness), as raw pixels. */
async function livenessPixels(input: Uint8Array | RawFrame, measured: { interpupillaryPx?: number | undefined }): Promise<Pixels> {
  const raw = 'rgba' in input;
  // A raw frame's size is its schema's (app/contract.ts): only its shape is left to check.
  const { width, height } = raw ? input : await probe(input);
  if (raw) checkShape(width, height);
  if (height < LIVENESS.minHeight) {
    throw new KioskError('image_too_small', `The face photo is ${width}×${height}; liveness needs at least ${LIVENESS.minHeight} px of height.`);
  }
  const scale = Math.max(captureScale({ height }, measured.interpupillaryPx ?? 0), LIVENESS.minHeight / height);
  return encode(() => {
    let pipeline = raw ? sharp(input.rgba, { raw: { width, height, channels: 4 } }) : decoder(input).rotate();
    if (scale < 1) pipeline = pipeline.resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'lanczos3' });
    return pipeline.raw().toBuffer({ resolveWithObject: true });
  });
}

const rawImage = ({ data, info }: Pixels) => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });

async function encodePng(pixels: Pixels): Promise<NormalizedImage> {
  // zlib's fastest level: 10 ms less per capture than level 6 for a quarter more bytes (760 KB
  // for a 720p frame), nothing on loopback and little to a hosted service (bench:timeline).
  const { data, info } = await encode(() => rawImage(pixels).png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true }));
  return { bytes: data, contentType: 'image/png', width: info.width, height: info.height };
}

/** Match wants JPEG/PNG within 150..1024 px a side and at most 2 MB. */
export async function normalizeForMatch(input: Uint8Array): Promise<NormalizedImage> {
  const { metadata, width, height, needsRotation } = await probe(input);
  if (width < MATCH.minWidth || height < MATCH.minHeight) {
    throw new KioskError('image_too_small', `The image is ${width}×${height}; matching needs at least ${MATCH.minWidth}×${MATCH.minHeight} px.`);
  }
  const fits = width <= MATCH.maxWidth && height <= MATCH.maxHeight && input.byteLength <= MATCH.maxBytes;
  const format = metadata.format;
  // Re-encoding a conforming image only loses quality; one with EXIF is re-encoded to drop it.
  if (fits && !needsRotation && !metadata.exif && (format === 'png' || format === 'jpeg')) {
    // A damaged file can have a valid header: decode once so it is refused here, not by the service.
    await encode(() => decoder(input).raw().toBuffer({ resolveWithObject: true }));
    return { bytes: Buffer.from(input), contentType: MATCH.mimeTypes[format], width, height };
  }
  return encodeJpegForMatch(decoder(input).rotate());
}

/** The largest JPEG quality that keeps the image within the match's 1024 px and 2 MB. */
async function encodeJpegForMatch(image: Sharp): Promise<NormalizedImage> {
  const resized = image.resize({ width: MATCH.maxWidth, height: MATCH.maxHeight, fit: 'inside', withoutEnlargement: true });
  for (const quality of JPEG_QUALITIES) {
    const { data, info } = await encode(() =>
      // libjpeg-turbo, not mozjpeg: a 1024-px JPEG in ~20 ms instead of ~80 ms, a few percent larger,
      // far under the 2-MB limit at quality 92 (bench:timeline, "normalise").
      resized.clone().flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer({ resolveWithObject: true }),
    );
    if (data.byteLength <= MATCH.maxBytes) {
      return { bytes: data, contentType: 'image/jpeg', width: info.width, height: info.height };
    }
  }
  throw new KioskError('image_too_large', `The image cannot be compressed under ${MATCH.maxBytes / 1_000_000} MB.`);
}

/** A picture of an ID document as RGBA pixels, upright (EXIF applied), under the same guards as any image. */
export async function decodeRgba(input: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  await probe(input);
  const { data, info } = await encode(() => decoder(input).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true }));
  return { data, width: info.width, height: info.height };
}
