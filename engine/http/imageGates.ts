/**
 * The document's image requirements as the service enforces them, checked on the file before any
 * face analysis (cheap header reads), then on the analysed faces. Codes and messages are the
 * engine's catalogue (docs/architecture.md); thresholds come from app/ so kiosk guidance applies the same rules.
 */
import sharp from 'sharp';
import { FACE_REJECTIONS, SIGNIFICANT_FACE_RATIO, significantFaces } from '../../app/faceRules';
import { INPUT_LIMITS, LIVENESS, MATCH } from '../../app/imageRequirements';
import type { Analysis } from '../analysis/analyze';
import { reject } from './errors';

async function header(bytes: Uint8Array) {
  try {
    const meta = await sharp(bytes, { limitInputPixels: INPUT_LIMITS.maxPixels }).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    return { format: meta.format, ...meta.autoOrient };
  } catch {
    throw reject('INVALID_IMAGE', 'Unable to read the image');
  }
}

export async function checkLivenessFile(bytes: Uint8Array): Promise<void> {
  const { format, height } = await header(bytes);
  if (format !== LIVENESS.format) throw reject('IMAGE_NOT_PNG', 'Image format must be PNG');
  if (height < LIVENESS.minHeight) throw reject('IMAGE_TOO_SMALL', `Image height must be at least ${LIVENESS.minHeight}px`);
}

export async function checkMatchFile(bytes: Uint8Array, field: string): Promise<'png' | 'jpg'> {
  if (bytes.byteLength > MATCH.maxBytes) throw reject('FILE_TOO_LARGE', `${field}: file size must be at most 2MB`);
  const { format, width, height } = await header(bytes);
  if (format !== 'jpeg' && format !== 'png') throw reject('IMAGE_FORMAT', `${field}: image format must be JPG or PNG`);
  if (width < MATCH.minWidth || height < MATCH.minHeight || width > MATCH.maxWidth || height > MATCH.maxHeight) {
    throw reject('IMAGE_DIMENSIONS', `${field}: image dimensions must be between 150x150 and 1024x1024 (got ${width}x${height})`);
  }
  return format === 'png' ? 'png' : 'jpg';
}

/** Refuses a liveness picture with the first rule its faces break, as the analysis judged it. */
export function checkLivenessFaces(analysis: Analysis): void {
  if (analysis.rejection) throw reject(analysis.rejection.code, analysis.rejection.message);
}

/** Kept verbatim from the document's example: clients may already key on "-3491". */
export const MATCH_NO_FACE = { code: '-3491', message: 'Plugin Face - Unable to find the face image' } as const;

/**
 * The face to match: the largest, or, when others of similar size are in the photo, the one at
 * its centre (a portrait is framed on its subject; news and event photos, LFW's among them, hold
 * the subject centred among bystanders). Only when no face is clearly the most central (at most
 * half the next one's distance from the centre) is the photo ambiguous.
 */
export function matchFace(analysis: Analysis, field: string) {
  const faces = significantFaces(analysis.faces, SIGNIFICANT_FACE_RATIO.match);
  const offCentre = (f: (typeof faces)[number]) => Math.hypot(f.box.x + f.box.width / 2 - analysis.width / 2, f.box.y + f.box.height / 2 - analysis.height / 2);
  const [face, next] = [...faces].sort((a, b) => offCentre(a) - offCentre(b));
  if (!face?.embedding) throw reject(MATCH_NO_FACE.code, MATCH_NO_FACE.message);
  if (next && offCentre(face) > offCentre(next) / 2) throw reject(FACE_REJECTIONS.multipleFaces.code, `${field}: ${FACE_REJECTIONS.multipleFaces.message}`);
  return face.embedding;
}
